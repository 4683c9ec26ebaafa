// "Share": builds the link for the open project (with its best run's metrics and, when they fit, its
// trained weights), shows its size against the 8 KiB budget and copies it; a project too big for
// a link gets a project file instead.
import { createSignal, Show } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import { encodeShare, encodeSharedWeights, LINK_BUDGET_BYTES, sharedParamCount, type EncodeResult, type SharedBestRun } from '../../engine/share/index.js';
import type { NamedArray } from '../../engine/train/checkpoint-format.js';
import { bytes } from '../format.js';
import { shareUrl } from './launch.js';
import './share.css';

export interface ShareDialogProps {
  readonly project: () => Project;
  /** The best stored run's summary, if any (read when the dialog opens). */
  readonly bestRun?: () => Promise<SharedBestRun | undefined>;
  /** The trained weights of the current architecture, if any (read when the dialog opens). */
  readonly weights?: () => Promise<readonly NamedArray[] | null>;
  /** Downloads the project as a .nfproj file (the fallback above the budget). */
  readonly onDownloadFile: () => Promise<void>;
}

/** What the dialog says about weights: none trained, carried, or left out with the size they would need. */
type WeightsNote = { readonly kind: 'none' } | { readonly kind: 'included'; readonly params: number } | { readonly kind: 'dropped'; readonly params: number; readonly linkBytes: number };
type Built = { readonly result: EncodeResult; readonly url: string | null; readonly withRun: boolean; readonly weights: WeightsNote };

function WeightsLine(props: { note: WeightsNote }) {
  const n = props.note;
  switch (n.kind) {
    case 'none':
      return null;
    case 'included':
      return <p data-testid="share-weights" data-state="included">Weights included ({n.params.toLocaleString('en-US')} params): whoever forks it gets the trained model.</p>;
    case 'dropped':
      return (
        <p data-testid="share-weights" data-state="dropped" class="muted">
          Weights left out: they would make the link {bytes(n.linkBytes)} (limit {bytes(LINK_BUDGET_BYTES)}). Share a project file to pass them on.
        </p>
      );
    default: {
      const never: never = n;
      return String(never);
    }
  }
}

export function ShareButton(props: ShareDialogProps) {
  const [built, setBuilt] = createSignal<Built | null>(null);
  const [note, setNote] = createSignal<string | null>(null);
  const open = async () => {
    setNote(null);
    const bestRun = await props.bestRun?.().catch(() => undefined);
    const arrays = await props.weights?.().catch(() => null);
    const packed = arrays && arrays.length > 0 ? encodeSharedWeights(arrays) : undefined;
    const project = props.project();
    const result = encodeShare(project, { ...(bestRun ? { bestRun } : {}), ...(packed ? { weights: packed } : {}) });
    let weights: WeightsNote = { kind: 'none' };
    if (arrays && packed) {
      const params = sharedParamCount(arrays);
      // the size the link would have had with them (encodeShare measured it), to say why they were left out
      weights = result.ok && !result.weightsDropped ? { kind: 'included', params } : { kind: 'dropped', params, linkBytes: result.withWeightsBytes ?? result.bytes };
    }
    setBuilt({ result, url: result.ok ? shareUrl(location, result.fragment) : null, withRun: bestRun !== undefined, weights });
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
                  <WeightsLine note={b().weights} />
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
