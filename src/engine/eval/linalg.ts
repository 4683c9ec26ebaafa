// Small dense linear algebra for the projections: a symmetric eigen-decomposition (cyclic
// Jacobi) for matrices up to a few dozen rows, and Gram–Schmidt orthonormalisation.

/**
 * Eigenvalues (descending) and unit eigenvectors of a symmetric n×n matrix (row-major; not modified).
 * vectors[k·n + i] = component i of the k-th eigenvector.
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [3, 1]
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      scale += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        // Rotation that zeroes a[p][q] (Golub & Van Loan, sym.schur2).
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((col, k) => {
    for (let i = 0; i < n; i++) vectors[k * n + i] = v[i * n + col]!;
  });
  return { values, vectors };
}

/**
 * Orthonormalises the m rows of an m×d matrix in place (modified Gram–Schmidt, twice for
 * stability); a row that becomes ~0 is replaced by a unit basis vector orthogonal to the rest.
 */
export function orthonormaliseRows(rows: Float64Array, m: number, d: number): void {
  const tries = new Int32Array(m);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += rows[i * d + k]! * rows[j * d + k]!;
        for (let k = 0; k < d; k++) rows[i * d + k]! -= dot * rows[j * d + k]!;
      }
      let norm = 0;
      for (let k = 0; k < d; k++) norm += rows[i * d + k]! ** 2;
      norm = Math.sqrt(norm);
      if (norm < 1e-12 && tries[i]! < d) {
        // Some basis vector lies outside the span of the earlier rows (m ≤ d): try the next one.
        rows.fill(0, i * d, (i + 1) * d);
        rows[i * d + ((i + tries[i]!++) % d)] = 1;
        i--;
        continue;
      }
      for (let k = 0; k < d; k++) rows[i * d + k]! /= norm;
    }
  }
}
