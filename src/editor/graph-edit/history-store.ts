// Keeps a project's undo history in localStorage so it survives a reload. A stored history is
// used only if it is well formed, belongs to this project and was recorded on exactly the graph
// that is open now (a fingerprint); anything else is dropped, never applied.
import { z } from 'zod';
import type { Graph } from '../../engine/project/types.js';
import { changeSchema } from './change-schema.js';
import { HISTORY_LIMIT, type HistoryState } from './history.js';

export const HISTORY_KEY_PREFIX = 'neuralforge:history:';
const FORMAT = 'neuralforge-history';
/** Bigger stored histories are not read (localStorage is ~5 MB per origin, shared). */
export const MAX_HISTORY_CHARS = 2_000_000;

const stepSchema = z.strictObject({
  label: z.string().max(200),
  forward: z.array(changeSchema).min(1),
  inverse: z.array(changeSchema),
  at: z.number(),
  key: z.string().max(10_000).nullable(),
});

const storedSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  projectId: z.string(),
  graph: z.string(),
  done: z.array(stepSchema).max(HISTORY_LIMIT),
  undone: z.array(stepSchema).max(HISTORY_LIMIT),
});

/** JSON with object keys sorted, so equal graphs give equal text whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A 53-bit fingerprint of the graph (cyrb53-style mixing of its canonical JSON). */
export function graphFingerprint(g: Graph): string {
  const s = canonical(g);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${s.length}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface HistoryStore {
  /** The stored history if it is valid for `graph`; otherwise null, and the entry is removed. */
  load(graph: Graph): HistoryState | null;
  save(state: HistoryState, graph: Graph): void;
  remove(): void;
}

/** The history of project `projectId` in `storage` (localStorage); storage errors are swallowed. */
export function historyStore(storage: KeyValueStore | undefined, projectId: string): HistoryStore {
  const key = HISTORY_KEY_PREFIX + projectId;
  const remove = () => {
    try {
      storage?.removeItem(key);
    } catch {
      // disabled storage: nothing to remove
    }
  };
  return {
    load(graph) {
      let text: string | null = null;
      try {
        text = storage?.getItem(key) ?? null;
      } catch {
        return null;
      }
      if (text === null) return null;
      try {
        if (text.length > MAX_HISTORY_CHARS) throw new Error('too big');
        const parsed = storedSchema.safeParse(JSON.parse(text));
        if (!parsed.success || parsed.data.projectId !== projectId || parsed.data.graph !== graphFingerprint(graph)) throw new Error('not for this graph');
        return { done: parsed.data.done, undone: parsed.data.undone };
      } catch {
        remove();
        return null;
      }
    },
    save(state, graph) {
      const stored = { format: FORMAT, version: 1 as const, projectId, graph: graphFingerprint(graph), done: [...state.done], undone: [...state.undone] };
      try {
        storage?.setItem(key, JSON.stringify(stored));
      } catch {
        // Full: keep the newest half of the steps rather than nothing.
        try {
          storage?.setItem(key, JSON.stringify({ ...stored, done: stored.done.slice(-Math.ceil(stored.done.length / 2)), undone: [] }));
        } catch {
          remove();
        }
      }
    },
    remove,
  };
}
