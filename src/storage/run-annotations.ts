// What a person writes on a stored run: its name, notes and tags. Checked and normalised here
// (trimmed, length caps, de-duplicated tags), then written over the run's record. System tags
// (facts the trainer keeps in tags) stay as they are: a person can neither add nor remove them.
import { REPRODUCES_TAG, RESUMED_FROM_TAG, TRAIN_SAMPLES_TAG } from '../workers/run-tags.js';
import { IMPORTED_TAG } from './imported-weights.js';
import { StorageError, type RunId, type RunRecord, type StorageDb } from './types.js';

export const MAX_RUN_NAME = 200;
export const MAX_RUN_NOTES = 10_000;
export const MAX_TAG_LENGTH = 64;
/** Tags a person may put on one run (system tags not counted). */
export const MAX_PERSON_TAGS = 50;

/** Prefixes of the tags the trainer writes (src/workers/run-tags.ts); such tags are machine facts. */
export const SYSTEM_TAG_PREFIXES: readonly string[] = [TRAIN_SAMPLES_TAG, RESUMED_FROM_TAG, REPRODUCES_TAG];

/** True for a tag the app keeps for itself: one with a trainer prefix, or the imported-weights marker. */
export const isSystemTag = (tag: string): boolean => tag === IMPORTED_TAG || SYSTEM_TAG_PREFIXES.some((p) => tag.startsWith(p));

/** What to change; an absent field stays as it is. `tags` is the whole list of the person's tags. */
export interface RunAnnotationPatch {
  readonly name?: string | null;
  readonly notes?: string;
  readonly tags?: readonly string[];
}

export type AnnotateErrorCode = 'invalid' | 'not-found' | 'training' | 'read-only' | 'storage';

export type AnnotateResult =
  | { readonly ok: true; readonly run: RunRecord }
  | {
      readonly ok: false;
      readonly code: AnnotateErrorCode;
      /** The field that was refused, for 'invalid'. */
      readonly field: keyof RunAnnotationPatch | null;
      /** A sentence for the person: what was refused, and why. */
      readonly message: string;
    };

// C0 and C1 controls, DEL included: a tag or name is one line of plain text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Notes may hold line breaks and tabs, not other controls.
const NOTES_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: keyof RunAnnotationPatch; readonly message: string };

const refuse = (field: keyof RunAnnotationPatch, message: string): Checked<never> => ({ ok: false, field, message });

/** A name as stored: trimmed, null when empty. */
export function checkRunName(name: string | null): Checked<string | null> {
  if (name === null) return { ok: true, value: null };
  const t = name.trim();
  if (t.length > MAX_RUN_NAME) return refuse('name', `The run name is ${t.length} characters long; at most ${MAX_RUN_NAME} fit.`);
  if (CONTROL.test(t)) return refuse('name', 'The run name holds a control character (a line break or tab, for instance): write it on one line.');
  return { ok: true, value: t === '' ? null : t };
}

/** Notes as stored: trimmed at both ends. */
export function checkRunNotes(notes: string): Checked<string> {
  const t = notes.trim();
  if (t.length > MAX_RUN_NOTES) return refuse('notes', `The notes are ${t.length.toLocaleString('en')} characters long; at most ${MAX_RUN_NOTES.toLocaleString('en')} fit.`);
  if (NOTES_CONTROL.test(t)) return refuse('notes', 'The notes hold a control character other than a line break or tab.');
  return { ok: true, value: t };
}

/**
 * The run's tags after a person asked for `wanted`: the run's system tags first, as they were,
 * then the person's tags, trimmed, empty ones dropped, duplicates kept once (first spelling wins).
 */
export function checkRunTags(current: readonly string[], wanted: readonly string[]): Checked<string[]> {
  const system = current.filter(isSystemTag);
  const person: string[] = [];
  for (const raw of wanted) {
    const t = raw.trim();
    if (t === '' || system.includes(t) || person.includes(t)) continue;
    if (isSystemTag(t)) return refuse('tags', `"${t}" is a tag the app keeps for itself (it starts with "${SYSTEM_TAG_PREFIXES.find((p) => t.startsWith(p)) ?? t}"); pick another tag.`);
    if (t.length > MAX_TAG_LENGTH) return refuse('tags', `The tag "${t.slice(0, 20)}…" is ${t.length} characters long; at most ${MAX_TAG_LENGTH} fit.`);
    if (CONTROL.test(t)) return refuse('tags', `The tag ${JSON.stringify(t)} holds a control character: a tag is one line of text.`);
    person.push(t);
  }
  if (person.length > MAX_PERSON_TAGS) return refuse('tags', `${person.length} tags: a run takes at most ${MAX_PERSON_TAGS}.`);
  return { ok: true, value: [...system, ...person] };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Writes a person's name, notes and tags on a stored run. Nothing is written when any field is
 * refused, when the run trains (its worker rewrites the record every epoch), or when the record
 * or the database is read-only (written by a newer app).
 * @example
 * const r = await annotateRun(db, runId, { name: 'lr 3e-4', tags: ['sweep'] });
 * if (!r.ok) showError(r.message);
 */
export async function annotateRun(db: StorageDb, runId: RunId, patch: RunAnnotationPatch): Promise<AnnotateResult> {
  const fail = (code: AnnotateErrorCode, msg: string, field: keyof RunAnnotationPatch | null = null): AnnotateResult => ({ ok: false, code, field, message: msg });
  let run: RunRecord | null;
  try {
    run = await db.getRun(runId);
  } catch (e) {
    return fail('storage', `The run "${runId}" could not be read: ${message(e)}`);
  }
  if (!run) return fail('not-found', `The run "${runId}" is no longer stored on this device.`);
  if (db.readOnly || run.readOnly)
    return fail('read-only', `Cannot save the run "${runId}": it was written by a newer NeuralForge and opens read-only here; update the app to change it.`);
  if (run.status === 'running' || run.status === 'paused')
    return fail('training', `The run "${runId}" is ${run.status === 'running' ? 'training' : 'paused'}: its name, notes and tags can be changed once it has ended.`);

  const name = patch.name === undefined ? { ok: true as const, value: run.name } : checkRunName(patch.name);
  if (!name.ok) return fail('invalid', name.message, name.field);
  const notes = patch.notes === undefined ? { ok: true as const, value: run.notes } : checkRunNotes(patch.notes);
  if (!notes.ok) return fail('invalid', notes.message, notes.field);
  const tags = patch.tags === undefined ? { ok: true as const, value: [...run.tags] } : checkRunTags(run.tags, patch.tags);
  if (!tags.ok) return fail('invalid', tags.message, tags.field);

  const next: RunRecord = { ...run, name: name.value, notes: notes.value, tags: tags.value };
  try {
    await db.putRun(next);
  } catch (e) {
    if (e instanceof StorageError && e.code === 'read-only') return fail('read-only', e.message);
    return fail('storage', `The run "${runId}" could not be saved: ${message(e)}`);
  }
  return { ok: true, run: next };
}
