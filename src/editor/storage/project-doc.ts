// The open project in this tab: its record and analysis as signals, the edits a person can
// make, autosave to IndexedDB, and the tab's edit lease (read-only while another tab edits).
import { createSignal, type Accessor } from 'solid-js';
import { analyzeGraph, reanalyze, type Analysis } from '../../engine/graph/analyze.js';
import type { GraphChange } from '../../engine/graph/changes.js';
import { applyChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import type { Graph, TrainingConfig } from '../../engine/project/types.js';
import { createAutosave, flushOnHide, type Clock, type LifecycleTargets, type SaveStatus } from '../../storage/autosave.js';
import { isQuotaError, quotaMessage, toStorageError } from '../../storage/quota.js';
import type { EditMode, ProjectLease, TabCoordinator, TabMessage } from '../../storage/tabs.js';
import { StorageError, type ProjectRecord, type RunId, type StorageDb, type VersionId } from '../../storage/types.js';
import type { UnsavedStash } from './unsaved-stash.js';

/** The part of StorageDb a document needs. */
export type ProjectStore = Pick<StorageDb, 'getProject' | 'putProject'>;

export interface ProjectDoc {
  readonly id: ProjectRecord['id'];
  readonly record: Accessor<ProjectRecord>;
  readonly analysis: Accessor<Analysis>;
  readonly mode: Accessor<EditMode>;
  readonly saveStatus: Accessor<SaveStatus>;
  /** Why the last edit was refused (read-only tab), until the next accepted edit. */
  readonly refusal: Accessor<string | null>;
  canEdit(): boolean;
  /** Each edit returns false when refused (the caller resets its input). */
  rename(name: string): boolean;
  setDescription(text: string): boolean;
  setParams(nodeId: NodeId, params: Readonly<Record<string, unknown>>): boolean;
  /** Replaces the project's `training` section (the caller validated it); not a graph edit, so not in undo history. */
  setTraining(training: TrainingConfig): boolean;
  /** Applies graph changes as one edit (one save); false when refused (read-only tab) or when a change does not apply. */
  applyChanges(changes: readonly GraphChange[]): boolean;
  /**
   * Calls `listener` after every accepted graph edit (setParams, applyChanges) with the changes
   * and the graph before them: the editor's undo history records them. Returns an unsubscribe.
   */
  onGraphEdit(listener: GraphEditListener): () => void;
  selectRun(id: RunId | null): boolean;
  /** Makes `id` the project's head architecture version (a run trained it); a no-op when it already is. */
  setHead(id: VersionId): boolean;
  takeOver(): Promise<boolean>;
  flush(): Promise<boolean>;
  /** Re-reads the record from storage (after another tab saved). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export type GraphEditListener = (changes: readonly GraphChange[], before: Graph) => void;

export interface ProjectDocOptions {
  readonly store: ProjectStore;
  readonly tabs: TabCoordinator;
  readonly record: ProjectRecord;
  readonly clock?: Clock;
  /** Keeps edits that were still pending when the page went away (localStorage in the page). */
  readonly stash?: UnsavedStash;
  /** Where pagehide/visibilitychange come from; default the page's window and document. */
  readonly lifecycle?: LifecycleTargets;
  /** Another tab deleted this project. */
  readonly onDeleted?: () => void;
}

export const READ_ONLY_REFUSAL = 'This tab is read-only while another tab edits this project, so the change was not made. Use "Take over editing" to edit here.';
export const NEWER_SCHEMA_REFUSAL = 'This project was saved by a newer NeuralForge; it opens read-only here so nothing of it is lost. Update the app to edit it.';

/** Opens `record` in this tab: takes the edit lease if no other tab holds it. */
export async function openProjectDoc(options: ProjectDocOptions): Promise<ProjectDoc> {
  const { store, tabs } = options;
  const id = options.record.id;
  const [record, setRecord] = createSignal<ProjectRecord>(options.record);
  const [analysis, setAnalysis] = createSignal<Analysis>(analyzeGraph(options.record.draft.graph));
  const [saveStatus, setSaveStatus] = createSignal<SaveStatus>({ state: 'saved', at: options.record.updatedAt });
  const [refusal, setRefusal] = createSignal<string | null>(null);
  // The updatedAt of the stored record this tab last read or wrote: a newer one means another writer.
  let base = options.record.updatedAt;
  // Errors name the project as it is stored, not by an unsaved new name.
  let savedName = options.record.name;
  let stashed = false;

  const autosave = createAutosave<ProjectRecord>({
    clock: options.clock,
    // The storage layer names the record it was writing (with its unsaved name); say it our way.
    describe: (e) => (isQuotaError(e) ? quotaMessage(`your latest changes to "${savedName}"`) : toStorageError(e, `your latest changes to "${savedName}"`).message),
    retryable: (e) => !(e instanceof StorageError && (e.code === 'conflict' || e.code === 'read-only' || e.code === 'not-found')),
    onStatus: setSaveStatus,
    async save(next) {
      if (lease.mode().kind !== 'editing') throw new StorageError('conflict', READ_ONLY_REFUSAL);
      // Under a Web Lock no other tab writes this project (deletion takes the lock too), so one
      // write suffices — which matters when the page is going away. Without locks, check first.
      if (!lease.exclusive) {
        const stored = await store.getProject(id);
        if (!stored) throw new StorageError('not-found', `The project "${next.name}" was deleted (in another tab?), so this change was not saved.`);
        if (stored.updatedAt > base)
          throw new StorageError('conflict', `The project "${stored.name}" was changed in another tab since this tab read it; this tab's change was not saved. Reload to see the other tab's version.`);
      }
      const updatedAt = Math.max(Date.now(), base + 1);
      await store.putProject({ ...next, updatedAt });
      base = updatedAt;
      savedName = next.name;
      if (stashed) {
        options.stash?.remove(id);
        stashed = false;
      }
      lease.announceSaved(updatedAt);
    },
  });

  const lease: ProjectLease = await tabs.open(id, { beforeRelease: () => autosave.flush() });
  // A tab may be frozen or killed after it is hidden: pending edits go to disk then.
  const lifecycle = options.lifecycle ?? (typeof document === 'undefined' ? null : { window, document });
  const stopFlushOnHide = lifecycle
    ? flushOnHide(autosave, lifecycle, () => {
        // Not after a failed save: the person was told that change was not saved, and a reload
        // shows the last good state, as the banner promised.
        if (!autosave.hasPending() || !options.stash || autosave.status().state === 'error') return;
        options.stash.put(id, base, record());
        stashed = true;
      })
    : () => undefined;
  const [mode, setMode] = createSignal<EditMode>(lease.mode());
  lease.onMode(setMode);

  const newer = options.record.readOnly === true;
  const canEdit = () => !newer && mode().kind === 'editing';

  /** Applies an edit locally and schedules its save; refused in a read-only tab. */
  function edit(f: (r: ProjectRecord) => ProjectRecord): boolean {
    if (!canEdit()) {
      setRefusal(newer ? NEWER_SCHEMA_REFUSAL : READ_ONLY_REFUSAL);
      return false;
    }
    setRefusal(null);
    const next = f(record());
    setRecord(next);
    autosave.edit(next);
    return true;
  }

  const graphListeners = new Set<GraphEditListener>();
  const edited = (changes: readonly GraphChange[], before: Graph) => {
    for (const l of graphListeners) l(changes, before);
    return true;
  };

  function changeGraph(change: GraphChange): boolean {
    const before = record().draft.graph;
    return (
      edit((r) => {
        const graph = applyChange(r.draft.graph, change);
        setAnalysis(reanalyze(analysis(), graph, change));
        return { ...r, draft: { ...r.draft, graph } };
      }) && edited([change], before)
    );
  }

  /** Several changes as one edit; all or nothing (applyChange throws on a change that does not fit). */
  function changeGraphAll(changes: readonly GraphChange[]): boolean {
    if (changes.length === 0) return true;
    if (changes.length === 1) return changeGraph(changes[0]!);
    const before = record().draft.graph;
    let graph = before;
    try {
      for (const c of changes) graph = applyChange(graph, c);
    } catch {
      return false;
    }
    return (
      edit((r) => {
        setAnalysis(analyzeGraph(graph));
        return { ...r, draft: { ...r.draft, graph } };
      }) && edited(changes, before)
    );
  }

  async function reload(): Promise<void> {
    const fresh = await store.getProject(id);
    if (!fresh) return;
    base = Math.max(base, fresh.updatedAt);
    savedName = fresh.name;
    setRecord(fresh);
    setAnalysis(analyzeGraph(fresh.draft.graph));
  }

  // Edits the page held when it last went away, if nothing was saved over them since.
  if (canEdit() && options.stash) {
    const unsaved = options.stash.take(id, options.record.updatedAt);
    if (unsaved) {
      setAnalysis(analyzeGraph(unsaved.draft.graph));
      edit(() => ({ ...unsaved, updatedAt: options.record.updatedAt }));
    }
  }

  const unsubscribe = tabs.onMessage((m: TabMessage) => {
    if (m.projectId !== id) return;
    if (m.type === 'deleted') options.onDeleted?.();
    // A read-only tab follows the editing tab; an editing tab (no Web Locks) only when it has nothing pending.
    else if (m.type === 'saved' && m.updatedAt > base && (mode().kind !== 'editing' || !autosave.hasPending())) void reload();
  });

  return {
    id,
    record,
    analysis,
    mode,
    saveStatus,
    refusal,
    canEdit,
    rename: (name) => edit((r) => ({ ...r, name, draft: { ...r.draft, name } })),
    setDescription: (description) => edit((r) => ({ ...r, description, draft: { ...r.draft, description } })),
    setParams: (nodeId, params) => changeGraph({ type: 'setParams', nodeId, params }),
    setTraining: (training) => edit((r) => ({ ...r, draft: { ...r.draft, training } })),
    applyChanges: changeGraphAll,
    onGraphEdit(listener) {
      graphListeners.add(listener);
      return () => graphListeners.delete(listener);
    },
    selectRun: (runId) => edit((r) => ({ ...r, ui: { ...r.ui, selectedRunId: runId } })),
    // The worker stores versions but never writes the project record (the page owns it), so the
    // head moves here: the next version's parent is the one trained last.
    setHead: (versionId) => record().headVersion === versionId || edit((r) => ({ ...r, headVersion: versionId })),
    async takeOver() {
      if (newer) return false;
      if (!(await lease.takeOver())) return false;
      await reload(); // the other tab flushed before letting go: start from its last save
      setRefusal(null);
      return true;
    },
    flush: () => autosave.flush(),
    reload,
    async close() {
      await autosave.flush();
      autosave.dispose();
      stopFlushOnHide();
      unsubscribe();
      await lease.close();
    },
  };
}
