// Grad-CAM: which parts of an image drove the model's score for a class. Pick a sample (from
// any grid, or by number), a spatial layer (default: the last one before flattening) and a class
// (default: the predicted one); the image and the heat map over it are drawn side by side.
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import type { EvalNode, EvalSessionId, EvaluatorApi, GradCamReply, SampleKind } from './eval-types.js';
import { drawRgba } from './canvas-draw.js';
import { heat, heatImage, overlayHeat, css } from './colour-scale.js';
import { errorAdvice, metric } from './eval-format.js';

export interface GradCamProps {
  readonly api: EvaluatorApi;
  readonly session: EvalSessionId;
  readonly nodes: readonly EvalNode[];
  readonly sampleKind: SampleKind;
  /** Classification: class names; regression: null (the score is output 0). */
  readonly classNames: readonly string[] | null;
  readonly samples: number;
  /** A request from a grid: explain this sample now (seq makes a repeat click count). */
  readonly target: { readonly index: number; readonly seq: number } | null;
}

type CamState = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; reply: Extract<GradCamReply, { ok: true }>; predicted: boolean } | { kind: 'failed'; message: string };

export function GradCamView(props: GradCamProps) {
  const spatial = createMemo(() => props.nodes.filter((n) => n.spatial));
  const why = (): string | null =>
    props.sampleKind !== 'image'
      ? `Grad-CAM explains images; this dataset's samples are ${props.sampleKind}.`
      : spatial().length === 0
        ? 'Grad-CAM needs a layer whose output is an image-like map [height, width, channels] (a convolution or pooling layer). This model has none: it is not convolutional.'
        : null;
  const [index, setIndex] = createSignal('0');
  const [node, setNode] = createSignal<string>('');
  const [cls, setCls] = createSignal<string>('predicted');
  const [state, setState] = createSignal<CamState>({ kind: 'idle' });
  let token = 0;
  let box!: HTMLDivElement;

  // Default layer: the last spatial one (the last before the model flattens or pools globally).
  createEffect(() => {
    const s = spatial();
    if (!s.some((n) => n.id === node())) setNode(s.at(-1)?.id ?? '');
  });

  const explain = async () => {
    const i = Number(index());
    if (!Number.isInteger(i) || i < 0 || i >= props.samples) {
      setState({ kind: 'failed', message: `Sample "${index()}" is not a sample number from 0 to ${props.samples - 1}.` });
      return;
    }
    const my = ++token;
    setState({ kind: 'running' });
    const predicted = cls() === 'predicted';
    const reply = await props.api.gradCam(props.session, { index: i, nodeId: node(), classIndex: predicted ? null : Number(cls()) });
    if (my !== token) return;
    setState(reply.ok ? { kind: 'done', reply, predicted } : { kind: 'failed', message: `${reply.error.message} — ${errorAdvice(reply.code)}` });
  };

  createEffect(
    on(
      () => props.target,
      (t) => {
        if (!t || why()) return;
        setIndex(String(t.index));
        void explain();
        box.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      },
      { defer: false },
    ),
  );

  const done = () => {
    const s = state();
    return s.kind === 'done' ? s.reply : null;
  };
  const className = (c: number) => props.classNames?.[c] ?? (props.classNames ? String(c) : `output ${c}`);

  return (
    <div class="gradcam" data-testid="gradcam-view" data-state={state().kind} ref={box}>
      <Show when={!why()} fallback={<p class="muted" data-testid="gradcam-unavailable">{why()}</p>}>
        <form
          class="eval-controls"
          onSubmit={(e) => {
            e.preventDefault();
            void explain();
          }}
        >
          <label>
            Sample #{' '}
            <input type="number" min={0} max={props.samples - 1} step={1} data-testid="gradcam-index" value={index()} onInput={(e) => setIndex(e.currentTarget.value)} />
          </label>
          <label>
            Layer{' '}
            <select data-testid="gradcam-node" value={node()} onChange={(e) => setNode(e.currentTarget.value)}>
              <For each={spatial()}>{(n) => <option value={n.id}>{`${n.id} (${n.kind}, ${n.shape.join('×')})`}</option>}</For>
            </select>
          </label>
          <Show when={props.classNames}>
            {(names) => (
              <label>
                Class{' '}
                <select data-testid="gradcam-class" value={cls()} onChange={(e) => setCls(e.currentTarget.value)}>
                  <option value="predicted">the predicted class</option>
                  <For each={names()}>{(n, c) => <option value={c()}>{n}</option>}</For>
                </select>
              </label>
            )}
          </Show>
          <button type="submit" class="primary" data-testid="gradcam-run" disabled={state().kind === 'running'}>
            {state().kind === 'running' ? 'Explaining…' : 'Explain with Grad-CAM'}
          </button>
        </form>
        <div class="gradcam-out">
          <figure>
            <canvas class="gradcam-canvas" data-testid="gradcam-image" ref={(c) => createEffect(() => { const r = done(); if (r) drawRgba(c, r.image.width, r.image.height, r.image.rgba); })} />
            <figcaption>image</figcaption>
          </figure>
          <figure>
            <canvas class="gradcam-canvas" data-testid="gradcam-overlay" ref={(c) => createEffect(() => { const r = done(); if (r) drawRgba(c, r.image.width, r.image.height, overlayHeat(r.image.rgba, r.map)); })} />
            <figcaption>heat map over the image</figcaption>
          </figure>
          <figure>
            <canvas class="gradcam-canvas" data-testid="gradcam-map" ref={(c) => createEffect(() => { const r = done(); if (r) drawRgba(c, r.image.width, r.image.height, heatImage(r.map)); })} />
            <figcaption>heat map</figcaption>
          </figure>
          <div class="heat-scale" aria-hidden="true">
            <span class="heat-bar" ref={(el) => el.style.setProperty('background', `linear-gradient(to top, ${[0, 0.25, 0.5, 0.75, 1].map((t) => css(heat(t))).join(', ')})`)} />
            <span class="heat-ticks">
              <span>high</span>
              <span>low</span>
            </span>
          </div>
        </div>
        <p class="gradcam-status" data-testid="gradcam-status" role="status">
          {(() => {
            const s = state();
            switch (s.kind) {
              case 'idle':
                return 'Pick a sample in a grid above (or type its number), then Explain: red areas raised the class score most.';
              case 'running':
                return 'Computing gradients…';
              case 'done':
                return `Sample #${s.reply.index}, layer ${s.reply.nodeId}, class ${className(s.reply.classIndex)}${s.predicted ? ' (predicted)' : ''}: score ${metric(s.reply.score)}.`;
              case 'failed':
                return s.message;
              default: {
                const never: never = s;
                throw new Error(`unknown state ${JSON.stringify(never)}`);
              }
            }
          })()}
        </p>
      </Show>
    </div>
  );
}
