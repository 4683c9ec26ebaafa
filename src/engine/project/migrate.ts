// Forward migrations between format versions. Each step takes a document of version
// `from` and returns one of version `from + 1`; old files are upgraded on read, never
// rewritten in place.

export type RawDoc = Record<string, unknown>;

export interface Migration {
  readonly from: number;
  readonly describe: string;
  migrate(doc: RawDoc): RawDoc;
}

export const MIGRATIONS: readonly Migration[] = [
  // v2 adds optional `graph.groups` and `graph.blocks`: a v1 document is a v2 one without them.
  { from: 1, describe: 'format 2: optional graph.groups and graph.blocks', migrate: (doc) => ({ ...doc, version: 2 }) },
];

/** Applies every step from `doc.version` up to `target`; throws on a gap in the chain (a programming error). */
export function migrateForward(doc: RawDoc, target: number, migrations: readonly Migration[] = MIGRATIONS): RawDoc {
  let cur = doc;
  let v = cur['version'] as number;
  while (v < target) {
    const step = migrations.find((m) => m.from === v);
    if (!step) throw new Error(`no migration from project format version ${v}`);
    cur = { ...step.migrate(cur), version: v + 1 };
    v += 1;
  }
  return cur;
}
