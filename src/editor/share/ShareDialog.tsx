// "Share": builds the link for the open project (with its best run's metrics), shows its size
// against the 8 KiB budget and copies it; a project too big for a link gets a project file instead.
import { createSignal, Show } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import { encodeShare, LINK_BUDGET_BYTES, type EncodeResult, type SharedBestRun } from '../../engine/share/index.js';
import { bytes } from '../format.js';
import { shareUrl } from './launch.js';
import './share.css';

export interface ShareDialogProps {
  readonly project: () => Project;
  /** The best stored run's summary, if any (read when the dialog opens). */
  readonly bestRun?: () => Promise<SharedBestRun | undefined>;
  /** Downloads the project as a .nfproj file (the fallback above the budget). */
  readonly onDownloadFile: () => Promise<void>;
}

type Built = { readonly result: EncodeResult; readonly url: string | null; readonly withRun: boolean };

export function ShareButton(props: ShareDialogProps) {
  const [built, setBuilt] = createSignal<Built | null>(null);
  const [note, setNote] = createSignal<string | null>(null);
  const open = async () => {
    setNote(null);
    const bestRun = await props.bestRun?.().catch(() => undefined);
    const result = encodeShare(props.project(), bestRun ? { bestRun } : {});
    setBuilt({ result, url: result.ok ? shareUrl(location, result.fragment) : null, withRun: bestRun !== undefined });
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setNote('Copied to the clipboard.');
    } catch {
      setNote('The browser did not allow copying: select the link and copy it yourself.');
    }
  };
  const download = async () => {
    try {
      await props.onDownloadFile();
      setNote('Project file downloaded.');
    } catch (e) {
      setNote(`Could not make the file: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <>
      <button type="button" data-testid="share" title="A link that opens this project, read-only, anywhere" onClick={() => void open()}>
        Share
      </button>
      <Show when={built()}>
        {(b) => (
          <div class="share-dialog" role="dialog" aria-label="Share this project" data-testid="share-dialog">
            <h2>Share “{props.project().name}”</h2>
            <Show
              when={b().url}
              fallback={
                <>
                  <p data-testid="share-too-large" role="alert">
                    This project needs {bytes(b().result.bytes)} as a link, over the {bytes(LINK_BUDGET_BYTES)} a link can carry
                    reliably. Share it as a project file instead: whoever opens the file gets the same project.
                  </p>
                  <div class="row">
                    <button type="button" class="primary" data-testid="share-download" onClick={() => void download()}>Download project file</button>
                  </div>
                </>
              }
            >
              {(url) => (
                <>
                  <p class="muted">
                    Anyone with this link sees the graph, its shapes{b().withRun ? ', the best run\'s metrics' : ''} and the training settings,
                    read-only, and can fork it into their own projects. Nothing is uploaded: the project is in the link itself.
                  </p>
                  <textarea readonly data-testid="share-link" onFocus={(e) => e.currentTarget.select()}>{url()}</textarea>
                  <div class="row">
                    <button type="button" class="primary" data-testid="share-copy" onClick={() => void copy(url())}>Copy link</button>
                    <span data-testid="share-size" data-bytes={b().result.bytes}>
                      {bytes(b().result.bytes)} of {bytes(LINK_BUDGET_BYTES)}
                    </span>
                  </div>
                </>
              )}
            </Show>
            <div class="row">
              <Show when={note()}>{(n) => <span role="status" data-testid="share-note">{n()}</span>}</Show>
              <button type="button" data-testid="share-close" onClick={() => setBuilt(null)}>Close</button>
            </div>
          </div>
        )}
      </Show>
    </>
  );
}
