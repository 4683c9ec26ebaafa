// Input checks shared by the evaluation modules: every bad array is refused up front with a
// message that names the argument and the first offending index, before anything is computed.

/** Evaluation input a caller got wrong: `where` names the argument (and index) at fault. */
export class EvalInputError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'EvalInputError';
  }
}

/** Throws unless `n` is an integer ≥ `min`. */
export function checkCount(n: number, min: number, where: string): void {
  if (!Number.isInteger(n) || n < min) throw new EvalInputError(`must be an integer ≥ ${min}, got ${n}`, where);
}

/** Throws unless `values.length === expected`. */
export function checkLength(values: ArrayLike<number>, expected: number, where: string, what: string): void {
  if (values.length !== expected) throw new EvalInputError(`has ${values.length} values, expected ${what} = ${expected}`, where);
}

/** Throws at the first value that is NaN or ±Infinity. */
export function checkFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new EvalInputError(`value ${values[i]} at index ${i} is not a finite number`, where);
  }
}

/** Throws at the first label outside [0, classes). */
export function checkLabels(labels: Int32Array, classes: number, where: string): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= classes) throw new EvalInputError(`label ${y} at sample ${i} is outside 0…${classes - 1}`, where);
  }
}
