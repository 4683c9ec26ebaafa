// Embedding projection: any layer's activations for the first N samples, reduced to 2-D by PCA
// or t-SNE in the worker, drawn as a scatter coloured by true class (legend) or, for regression,
// by target (colour bar). Hovering a point names its sample; a click picks it.
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { TSNE_MAX_POINTS } from '../../engine/eval/tsne.js';
import type { EvalNode, EvalSessionId, EvaluatorApi, ProjectionReply } from './eval-types.js';
import { classColour, css, viridis } from './colour-scale.js';
import { duration, errorAdvice, metric, percent } from './eval-format.js';
import { extent, nearestPoint } from './plot-scale.js';
import { drawScatter } from './scatter.js';

const W = 520;
const H = 400;

export interface ProjectionProps {
  readonly api: EvaluatorApi;
  readonly session: EvalSessionId;
  readonly nodes: readonly EvalNode[];
  readonly classNames: readonly string[] | null;
  readonly samples: number;
  readonly picked: number | null;
  readonly onPick: (index: number) => void;
}

type Done = Extract<ProjectionReply, { ok: true }>;
type ProjState = { kind: 'idle' } | { kind: 'running'; method: 'pca' | 'tsne' } | { kind: 'done'; reply: Done } | { kind: 'failed'; message: string };

export function ProjectionView(props: ProjectionProps) {
  // Default layer: the one before the output (its last hidden representation).
  const [node, setNode] = createSignal(props.nodes.at(-2)?.id ?? props.nodes.at(-1)?.id ?? '');
  const [method, setMethod] = createSignal<'pca' | 'tsne'>('pca');
  const [count, setCount] = createSignal(String(Math.min(1000, props.samples)));
  const [state, setState] = createSignal<ProjState>({ kind: 'idle' });
  const [hover, setHover] = createSignal<number>(-1);
  let token = 0;
  let canvas!: HTMLCanvasElement;
  let pixels: Float32Array = new Float32Array(0);
  const limit = () => Math.min(props.samples, method() === 'tsne' ? TSNE_MAX_POINTS : props.samples);

  const run = async () => {
    const n = Number(count());
    if (!Number.isInteger(n) || n < 2 || n > limit()) {
      setState({ kind: 'failed', message: `Points "${count()}" must be a whole number from 2 to ${limit()}${method() === 'tsne' ? ` (t-SNE here is exact: at most ${TSNE_MAX_POINTS})` : ''}.` });
      return;
    }
    const my = ++token;
    setState({ kind: 'running', method: method() });
    const reply = await props.api.project(props.session, { nodeId: node(), method: method(), maxPoints: n, seed: 0 });
    if (my !== token) return;
    setState(reply.ok ? { kind: 'done', reply } : { kind: 'failed', message: `${reply.error.message} — ${errorAdvice(reply.code)}` });
  };

  const done = (): Done | null => {
    const s = state();
    return s.kind === 'done' ? s.reply : null;
  };
  const valueRange = createMemo(() => {
    const v = done()?.values;
    return v ? extent(v) : ([0, 1] as [number, number]);
  });
  const colourOf = (r: Done) => (i: number) => {
    if (r.labels) return css(classColour(r.labels[i]!));
    const [lo, hi] = valueRange();
    return css(viridis(((r.values?.[i] ?? lo) - lo) / (hi - lo)));
  };
  createEffect(() => {
    const r = done();
    if (!r) return;
    const picked = props.picked;
    const h = picked === null ? -1 : r.indices.indexOf(picked);
    pixels = drawScatter(canvas, { width: W, height: H, points: r.points, colour: colourOf(r), xLabel: r.method === 'pca' ? 'component 1' : 't-SNE 1', yLabel: r.method === 'pca' ? 'component 2' : 't-SNE 2', radius: 2.5, highlight: h });
  });
  const pointAt = (e: MouseEvent) => {
    const b = canvas.getBoundingClientRect();
    return nearestPoint(pixels, e.clientX - b.left, e.clientY - b.top, 8);
  };
  const hoverText = () => {
    const r = done();
    const i = hover();
    if (!r || i < 0) return 'Hover a point to see which sample it is; click it to pick it (for Grad-CAM and the grid below).';
    const sample = r.indices[i]!;
    const what = r.labels ? `class ${props.classNames?.[r.labels[i]!] ?? r.labels[i]}` : `target ${metric(r.values?.[i])}`;
    return `sample #${sample}, ${what}`;
  };

  return (
    <div class="projection" data-testid="projection-view" data-state={state().kind} data-points={done()?.indices.length ?? 0}>
      <form
        class="eval-controls"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Layer{' '}
          <select data-testid="projection-node" value={node()} onChange={(e) => setNode(e.currentTarget.value)}>
            <For each={props.nodes}>{(n) => <option value={n.id}>{`${n.id} (${n.kind}, ${n.shape.join('×')})`}</option>}</For>
          </select>
        </label>
        <label>
          Method{' '}
          <select data-testid="projection-method" value={method()} onChange={(e) => setMethod(e.currentTarget.value === 'tsne' ? 'tsne' : 'pca')}>
            <option value="pca">PCA</option>
            <option value="tsne">t-SNE (slower)</option>
          </select>
        </label>
        <label>
          Points{' '}
          <input type="number" min={2} max={limit()} step={1} data-testid="projection-points" value={count()} onInput={(e) => setCount(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="projection-run" disabled={state().kind === 'running'}>
          {state().kind === 'running' ? 'Projecting…' : 'Project'}
        </button>
      </form>
      <div class="projection-body">
        <div class="plot-frame">
          <canvas
            ref={canvas}
            class="plot-canvas"
            width={W}
            height={H}
            role="img"
            aria-label={done() ? `${done()!.method.toUpperCase()} projection of ${done()!.indices.length} samples at layer ${done()!.nodeId}` : 'projection (not computed yet)'}
            onMouseMove={(e) => setHover(pointAt(e))}
            onMouseLeave={() => setHover(-1)}
            onClick={(e) => {
              const i = pointAt(e);
              const r = done();
              if (r && i >= 0) props.onPick(r.indices[i]!);
            }}
          />
          <Show when={state().kind !== 'done'}>
            <p class="plot-waiting">{state().kind === 'running' ? 'Computing the projection in the worker…' : 'Press Project to draw the samples.'}</p>
          </Show>
        </div>
        <div class="projection-legend">
          <Show when={done()}>
            {(r) => (
              <Show
                when={r().labels}
                fallback={
                  <div class="colour-bar-box">
                    <span class="colour-bar" ref={(el) => el.style.setProperty('background', `linear-gradient(to top, ${[0, 0.25, 0.5, 0.75, 1].map((t) => css(viridis(t))).join(', ')})`)} />
                    <span class="colour-bar-ticks">
                      <span>{metric(valueRange()[1])}</span>
                      <span>target</span>
                      <span>{metric(valueRange()[0])}</span>
                    </span>
                  </div>
                }
              >
                <ul class="class-legend" aria-label="colours by true class">
                  <For each={props.classNames ?? []}>
                    {(n, c) => (
                      <li>
                        <span class="swatch" ref={(el) => el.style.setProperty('background-color', css(classColour(c())))} />
                        {n}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </div>
      </div>
      <p class="plot-hover" data-testid="projection-hover">{hoverText()}</p>
      <p class="projection-status" data-testid="projection-status" role="status">
        {(() => {
          const s = state();
          switch (s.kind) {
            case 'idle':
              return '';
            case 'running':
              return s.method === 'tsne' ? 't-SNE runs 1,000 iterations: a few seconds per thousand points.' : 'Collecting activations…';
            case 'done':
              return `${s.reply.indices.length} samples at ${s.reply.nodeId} in ${duration(s.reply.ms)}${s.reply.explained ? ` · explained variance: ${s.reply.explained.map((v) => percent(v)).join(' + ')}` : ''}.`;
            case 'failed':
              return s.message;
            default: {
              const never: never = s;
              throw new Error(`unknown state ${JSON.stringify(never)}`);
            }
          }
        })()}
      </p>
    </div>
  );
}
