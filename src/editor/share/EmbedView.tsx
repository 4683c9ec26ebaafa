// Embed mode (`?embed=1`), for course pages and blog posts: the canvas with every shape and a
// Train button with one status line (phase, epoch, loss). No navigation, panels or storage writes.
import { createSignal, onCleanup } from 'solid-js';
import type { Project } from '../../engine/project/types.js';
import type { TrainerEvent } from '../../workers/trainer-api.js';
import { Canvas } from '../canvas/Canvas.js';
import { TrainerClient } from '../training/trainer-client.js';
import type { EmbedOptions } from './launch.js';
import { readOnlyEditorContext } from './readonly-context.js';
import './share.css';

type EmbedState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly text: string }
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string };

const statusText = (s: EmbedState, blocker: string | null): string => {
  switch (s.kind) {
    case 'idle':
      return blocker ?? '';
    case 'running':
    case 'done':
    case 'failed':
      return s.text;
    default:
      return s satisfies never;
  }
};

/** Why this project cannot train inside an embed, or null when it can (built-in MNIST only). */
export function embedTrainBlocker(p: Project): string | null {
  if (p.dataset.source === 'builtin' && p.dataset.name === 'mnist') return null;
  return 'This project trains on data of its own: open it in NeuralForge to choose a dataset.';
}

export function EmbedView(props: { project: Project; options: EmbedOptions; fullUrl: string }) {
  const ctx = readOnlyEditorContext(() => props.project);
  const client = new TrainerClient();
  onCleanup(() => client.terminate());
  const [state, setState] = createSignal<EmbedState>({ kind: 'idle' });
  const blocker = () => embedTrainBlocker(props.project);
  const onEvent = (e: TrainerEvent) => {
    if (e.type === 'phase') setState({ kind: 'running', text: e.detail || e.phase });
    else if (e.type === 'epoch') setState({ kind: 'running', text: `epoch ${e.epoch.epoch}/${e.epoch.epochs} · loss ${e.epoch.loss.toFixed(4)}${e.epoch.accuracy === null ? '' : ` · accuracy ${(100 * e.epoch.accuracy).toFixed(1)}%`}` });
  };
  const train = async () => {
    setState({ kind: 'running', text: 'starting…' });
    const overrides = { ...(props.options.epochs ? { epochs: props.options.epochs } : {}), ...(props.options.samples ? { maxTrainSamples: props.options.samples } : {}) };
    try {
      const summary = await client.start({ project: props.project, dataset: { source: 'builtin', name: 'mnist' }, backend: 'auto', overrides, projectId: null }, onEvent);
      if (!summary) return;
      if (summary.status === 'failed') setState({ kind: 'failed', text: `training failed: ${summary.error?.message ?? 'unknown error'}` });
      else {
        const acc = summary.testAccuracy ?? summary.finalValAccuracy;
        setState({ kind: 'done', text: `${summary.status} after ${summary.epochsCompleted} epoch${summary.epochsCompleted === 1 ? '' : 's'} on ${summary.backend ?? '?'}${acc === null ? '' : ` · accuracy ${(100 * acc).toFixed(1)}%`}` });
      }
    } catch (e) {
      setState({ kind: 'failed', text: `training failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  return (
    <div class="embed" data-testid="embed">
      <div class="embed-bar">
        <strong>{props.project.name}</strong>
        <button type="button" class="primary" data-testid="embed-train" disabled={blocker() !== null || state().kind === 'running'} title={blocker() ?? 'Train in this page, on your GPU'} onClick={() => void train()}>
          {state().kind === 'running' ? 'Training…' : 'Train'}
        </button>
        <span class="embed-status" role="status" data-testid="embed-status" data-state={state().kind}>
          {statusText(state(), blocker())}
        </span>
        <a href={props.fullUrl} target="_blank" rel="noopener" data-testid="embed-open">Open in NeuralForge</a>
      </div>
      <div class="embed-canvas">
        <Canvas ctx={ctx} />
      </div>
    </div>
  );
}
