// The page's first decision: a share link opens the read-only shared view (or its error panel),
// `?embed=1` the embed, anything else the studio. The studio, which opens storage, mounts only
// after a fork or when the person moves on, so a link alone never changes anything stored.
import { createResource, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { decodeShare, isShareFragment, type DecodeResult } from '../../engine/share/index.js';
import { EmbedView } from './EmbedView.js';
import { forkSharedProject } from './fork.js';
import { loadLastProject } from './last-project.js';
import type { Launch } from './launch.js';
import { ShareErrorPanel } from './ShareErrorPanel.js';
import { SharedProjectView } from './SharedProjectView.js';

type Mode = { readonly kind: 'shared'; readonly result: DecodeResult } | { readonly kind: 'studio' };

/** Leaves the share fragment for a route the studio's router knows, without a history entry. */
const leaveLink = (hash: string) => history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);

function Embed(props: { launch: Launch & { embed: NonNullable<Launch['embed']> } }) {
  const full = `${location.origin}${location.pathname}${location.hash}`;
  const share = props.launch.share;
  if (share) {
    return share.ok ? <EmbedView project={share.envelope.project} options={props.launch.embed} fullUrl={full} /> : <ShareErrorPanel error={share.error} onContinue={() => window.open(full, '_blank', 'noopener')} />;
  }
  const [last] = createResource(loadLastProject);
  return (
    <Show when={last()} fallback={<p class="muted" data-testid="embed-empty">{last.loading ? 'Opening…' : 'No project to show: open this page with a share link.'}</p>}>
      {(p) => <EmbedView project={p()} options={props.launch.embed} fullUrl={full} />}
    </Show>
  );
}

/**
 * Chooses what the page shows from how it was opened (`launch`, read before any router runs).
 * A share link pasted later (a hashchange) opens the shared view too.
 */
export function LaunchGate(props: { launch: Launch; studio: () => JSX.Element }) {
  const embed = props.launch.embed;
  if (embed) return <Embed launch={{ ...props.launch, embed }} />;
  const [mode, setMode] = createSignal<Mode>(props.launch.share ? { kind: 'shared', result: props.launch.share } : { kind: 'studio' });
  const onHash = () => {
    if (!isShareFragment(location.hash)) return;
    // The studio flushes its pending edits when the page goes away: reload rather than unmount it.
    if (mode().kind === 'studio') location.reload();
    else setMode({ kind: 'shared', result: decodeShare(location.hash) });
  };
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));
  const toStudio = (hash: string) => {
    leaveLink(hash);
    setMode({ kind: 'studio' });
  };
  const shared = () => {
    const m = mode();
    return m.kind === 'shared' ? m.result : null;
  };
  return (
    <Show when={shared()} keyed fallback={props.studio()}>
      {(result) => (
        <main class="page">
          {result.ok ? (
            <SharedProjectView
              envelope={result.envelope}
              onFork={async (weights) => {
                await forkSharedProject(result.envelope.project, { weights });
                toStudio('#/editor');
              }}
            />
          ) : (
            <ShareErrorPanel error={result.error} onContinue={() => toStudio('#/projects')} />
          )}
        </main>
      )}
    </Show>
  );
}
