// The Share button for the workspace's open project: its draft, its best stored run, and the
// .nfproj download as the fallback for projects too big for a link.
import { Show } from 'solid-js';
import { exportProject } from '../storage/nfproj-actions.js';
import type { Workspace } from '../storage/workspace.js';
import { bestRunSummary } from './best-run.js';
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
          onDownloadFile={() => exportProject(props.ws, doc().id, { checkpoints: 'none', datasets: false })}
        />
      )}
    </Show>
  );
}
