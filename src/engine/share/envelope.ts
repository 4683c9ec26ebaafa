// What a share link carries besides the prefix: the project, optionally the best run's summary
// and weights. The envelope's own fields are checked here; the project by the project parser.
import { z } from 'zod';

/** Envelope format version written into the link prefix (`#share=<version>.<payload>`). */
export const SHARE_VERSION = 1;
/** The fragment key: `#share=1.…`. */
export const SHARE_KEY = 'share';

/** Whole fragment (including `#share=1.`) a link may use; above it the page offers a project file. */
export const LINK_BUDGET_BYTES = 8 * 1024;
/** Refused unread: longer than any link we write (4× the budget leaves room for hand-made ones). */
export const MAX_FRAGMENT_CHARS = 32 * 1024;
/** Decompressed JSON cap: far above any project a link can describe, far below what hurts a tab. */
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const metricName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'metric names may use letters, digits, "_", "." and "-" only');

/** The best run's summary as shown next to a shared project. */
export const bestRunSchema = z.strictObject({
  metrics: z.record(metricName, z.number().refine(Number.isFinite, 'must be a finite number')).refine((m) => Object.keys(m).length <= 32, 'at most 32 metrics'),
  epochs: z.number().int().min(0).max(1_000_000),
  name: z.string().max(200).optional(),
});
export type SharedBestRun = z.output<typeof bestRunSchema>;

/** The decoded payload before the project is parsed; `weights` is base64url text here. */
export const envelopeSchema = z.strictObject({
  project: z.unknown(),
  bestRun: bestRunSchema.optional(),
  weights: z.string().max(MAX_FRAGMENT_CHARS).optional(),
});

/**
 * The first `__proto__`/`constructor`/`prototype` key in `value`, as a path. Zod silently drops such
 * keys from records; a link that carries one is refused instead. (The project part is scanned by
 * the project parser.)
 */
export function findForbiddenKey(value: unknown, path: string, depth = 0): string | null {
  // Nothing in an envelope nests deeper than 3 levels; deeper values fail the schema right after.
  if (value === null || typeof value !== 'object' || depth > 8) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (!Array.isArray(value) && FORBIDDEN.has(k)) return here;
    const inner = findForbiddenKey(v, here, depth + 1);
    if (inner) return inner;
  }
  return null;
}
