// A project opened from a share link: read-only canvas with every shape, the link's best-run
// summary, and "Fork to my projects", which stores a copy and opens it in the editor.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { summarize } from '../../engine/graph/summary.js';
import { decodeSharedWeights, sharedParamCount, type ShareEnvelope } from '../../engine/share/index.js';
import type { NamedArray } from '../../engine/train/checkpoint-format.js';
import { Canvas } from '../canvas/Canvas.js';
import { bytes, compact } from '../format.js';
import { readOnlyEditorContext } from './readonly-context.js';
import { weightsMismatch } from './shared-weights.js';
import './share.css';

/** "MNIST (built in)", "your file data.csv", …: what the project trains on, as the link says. */
export function datasetText(d: ShareEnvelope['project']['dataset']): string {
  switch (d.source) {
    case 'builtin':
      return `${d.name} (built in: trains right away)`;
    case 'file':
      return `a file of the author's (${d.label ?? d.path}): choose your own data after forking`;
    case 'remote':
      return `downloaded from ${d.url}`;
    case undefined:
      return 'none chosen';
    default: {
      const never: never = d;
      return String(never);
    }
  }
}

/** The link's weights, decoded and checked against the graph: none, usable, or refused with why. */
type LinkWeights = { readonly kind: 'none' } | { readonly kind: 'ok'; readonly arrays: readonly NamedArray[] } | { readonly kind: 'bad'; readonly why: string };

/** `onFork` receives the link's weights when they fit the graph; a link whose weights do not fit cannot be forked. */
export function SharedProjectView(props: { envelope: ShareEnvelope; onFork: (weights: readonly NamedArray[] | null) => Promise<void> }) {
  const project = () => props.envelope.project;
  const ctx = readOnlyEditorContext(project);
  const summary = createMemo(() => summarize(ctx.analysis(), project().training));
  const weights = createMemo((): LinkWeights => {
    const bytes = props.envelope.weights;
    if (!bytes) return { kind: 'none' };
    try {
      const arrays = decodeSharedWeights(bytes);
      const why = weightsMismatch(arrays, summary());
      return why ? { kind: 'bad', why } : { kind: 'ok', arrays };
    } catch (e) {
      return { kind: 'bad', why: e instanceof Error ? e.message : String(e) };
    }
  });
  const [forking, setForking] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);
  const fork = async () => {
    setForking(true);
    setFailure(null);
    try {
      const w = weights();
      if (w.kind === 'bad') throw new Error(`the link's trained weights do not fit its graph (${w.why}); nothing was stored`);
      await props.onFork(w.kind === 'ok' ? w.arrays : null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
      setForking(false);
    }
  };
  const metrics = () => Object.entries(props.envelope.bestRun?.metrics ?? {});
  return (
    <section class="shared-view" data-testid="shared-view">
      <div class="banner shared-banner" role="status">
        <strong>Shared project — read-only.</strong> Fork it to edit and train it in your own projects.
        <button type="button" class="primary" data-testid="fork" disabled={forking()} onClick={() => void fork()}>
          {forking() ? 'Forking…' : 'Fork to my projects'}
        </button>
        <Show when={failure()}>{(f) => <span class="error" role="alert" data-testid="fork-error">Could not fork: {f()}</span>}</Show>
      </div>
      <header class="shared-head">
        <h2 data-testid="shared-name">{project().name}</h2>
        <Show when={project().description}>{(d) => <p class="muted">{d()}</p>}</Show>
        <Show when={props.envelope.migratedFrom}>{(v) => <p class="muted" data-testid="shared-migrated">Made with an older NeuralForge (project format {v()}); shown upgraded.</p>}</Show>
        <p class="shared-facts" data-testid="shared-totals">
          <span>{compact(summary().totals.params)} params</span>
          <span>{compact(summary().totals.flops, 'FLOPs')} per sample</span>
          <span>training memory {bytes(summary().trainingMemory.totalBytes)} at batch {summary().trainingMemory.batchSize}</span>
          <span data-testid="shared-dataset">data: {datasetText(project().dataset)}</span>
        </p>
        <Show when={weights().kind !== 'none'}>
          <p data-testid="shared-weights" data-state={weights().kind}>
            {(() => {
              const w = weights();
              return w.kind === 'ok' ? `with trained weights (${sharedParamCount(w.arrays).toLocaleString('en-US')} params)` : w.kind === 'bad' ? `The link's weights cannot be used: ${w.why}` : '';
            })()}
          </p>
        </Show>
        <Show when={props.envelope.bestRun}>
          {(run) => (
            <p class="shared-run" data-testid="shared-best-run">
              Best run{run().name ? ` (${run().name})` : ''} after {run().epochs} epoch{run().epochs === 1 ? '' : 's'}:{' '}
              <For each={metrics()}>{([k, v]) => <span class="metric">{k} {Number.isInteger(v) ? v : v.toPrecision(4)}</span>}</For>
            </p>
          )}
        </Show>
      </header>
      <div class="shared-canvas">
        <Canvas ctx={ctx} />
      </div>
    </section>
  );
}
