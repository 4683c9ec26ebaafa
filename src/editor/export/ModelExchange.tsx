// The export studio wired to the workspace: the open project, the run selected in the training
// panel (its best checkpoint is the default weights) and the device's storage. Importing a
// model lives in the project list (it makes a new project); both share one exporter worker.
import { Show } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import type { Workspace } from '../storage/workspace.js';
import { sharedExporterClient } from './exporter-client.js';
import { ExportStudio } from './ExportStudio.js';
import './export.css';

export function ModelExchange(props: { ws: Workspace; project: () => Project }) {
  const client = sharedExporterClient();
  const current = () => props.ws.current();
  return (
    <div class="model-exchange">
      {/* Keyed by the open project: another project starts with a blank studio, not the last one's result. */}
      <Show when={current()?.id} keyed>
        {(id) => (
          <ExportStudio
            project={props.project}
            projectId={id}
            selectedRunId={() => current()?.record().ui.selectedRunId ?? null}
            revision={props.ws.revision}
            db={props.ws.session?.db ?? null}
            client={client}
          />
        )}
      </Show>
    </div>
  );
}
