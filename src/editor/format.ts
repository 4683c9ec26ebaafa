// Number formatting for people: 11.2M params, 1.8 GFLOPs, 45.3 MB.

export function compact(n: number, unit = ''): string {
  const steps: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, s] of steps) if (Math.abs(n) >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : 1)}${s}${unit ? ` ${unit}` : ''}`;
  return unit ? `${n} ${unit}` : `${n}`;
}

export function bytes(n: number): string {
  const steps: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [v, s] of steps) if (n >= v) return `${(n / v).toFixed(1)} ${s}`;
  return `${n} B`;
}
