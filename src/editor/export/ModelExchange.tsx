// Export and import, side by side, wired to the workspace: an imported model becomes a stored
// project and opens; its weights stay with it in this tab, and its exports use them.
import { createSignal, onCleanup, Show } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import { newProjectRecord } from '../../storage/session.js';
import { StorageError, type ProjectId } from '../../storage/types.js';
import type { WeightsPayload } from '../../workers/exporter-api.js';
import type { Workspace } from '../storage/workspace.js';
import { ExporterClient } from './exporter-client.js';
import { ExportStudio } from './ExportStudio.js';
import { ImportModel } from './ImportModel.js';
import './export.css';

export function ModelExchange(props: { ws: Workspace; project: () => Project }) {
  const client = new ExporterClient();
  onCleanup(() => client.terminate());
  // Imported weights by project, for this tab's session (trained weights come from checkpoints).
  const [weights, setWeights] = createSignal<ReadonlyMap<ProjectId, WeightsPayload>>(new Map());
  const current = () => props.ws.current()?.id ?? null;

  async function onImported(project: Project, w: WeightsPayload): Promise<void> {
    const session = props.ws.session;
    if (!session) throw new StorageError('unavailable', `An imported model cannot be opened here: ${props.ws.unavailable ?? 'storage is unavailable'}`);
    const record = newProjectRecord(project, null);
    await session.db.putProject(record);
    setWeights((m) => new Map(m).set(record.id, w));
    await props.ws.adopt(record.id);
  }

  return (
    <div class="model-exchange">
      {/* Keyed by the open project: another project starts with a blank studio, not the last one's result. */}
      <Show when={current()} keyed>
        {(id) => <ExportStudio project={props.project} weights={() => weights().get(id) ?? null} client={client} />}
      </Show>
      <ImportModel client={client} onImported={onImported} />
    </div>
  );
}
