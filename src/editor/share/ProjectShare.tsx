// The Share button for the workspace's open project: its draft, its best stored run, that run's
// trained weights when they fit, and the .nfproj download as the fallback for projects too big for a link.
import { Show } from 'solid-js';
import { exportProject } from '../storage/nfproj-actions.js';
import type { Workspace } from '../storage/workspace.js';
import { bestRunSummary } from './best-run.js';
import { weightsToShare } from './shared-weights.js';
import { ShareButton } from './ShareDialog.js';

export function ProjectShare(props: { ws: Workspace }) {
  return (
    <Show when={props.ws.current()}>
      {(doc) => (
        <ShareButton
          project={() => doc().record().draft}
          bestRun={async () => {
            const session = props.ws.session;
            return session ? bestRunSummary(await session.db.listRuns(doc().id)) : undefined;
          }}
          weights={async () => {
            const session = props.ws.session;
            return session?.blobs ? weightsToShare(session.db, session.blobs, doc().id, doc().record().draft.graph) : null;
          }}
          onDownloadFile={() => exportProject(props.ws, doc().id, { checkpoints: 'none', datasets: false })}
        />
      )}
    </Show>
  );
}
