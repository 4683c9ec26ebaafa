// A grid of evaluated samples (a confusion cell's, the worst ones, a picked one): each card shows
// the sample (image thumbnail, text snippet or table row) with its true and predicted class,
// confidence and loss (or target, prediction and loss). Samples are fetched from the evaluator in
// pages of at most 200; cards keep their size while loading, so nothing below moves.
import { createEffect, createSignal, For, Show, untrack } from 'solid-js';
import type { EvalSessionId, EvaluatorApi, SampleInfo, SamplePreview } from '../../workers/evaluator-api.js';
import { drawRgba } from './canvas-draw.js';
import { metric, percent } from './eval-format.js';
import { samplePages } from './matrix-layout.js';

export interface SampleGridProps {
  readonly api: EvaluatorApi;
  readonly session: EvalSessionId;
  /** The samples to show, in order. */
  readonly indices: ArrayLike<number>;
  /** Shown at first; "Show more" adds `step` more. */
  readonly initial: number;
  readonly step: number;
  /** Classification: class names by id; null for regression. */
  readonly classNames: readonly string[] | null;
  readonly picked: number | null;
  readonly onPick: (index: number) => void;
  /** Offered under the grid for its picked sample (e.g. "Explain with Grad-CAM"); null: none. */
  readonly pickAction?: { readonly label: string; readonly run: (index: number) => void } | null;
  readonly label: string;
  readonly testId: string;
  readonly emptyText: string;
}

/** A sample's class in words: its name when the dataset has names. */
const className = (names: readonly string[] | null, c: number | undefined) => (c === undefined ? '?' : (names?.[c] ?? String(c)));

export function SampleGrid(props: SampleGridProps) {
  const [shown, setShown] = createSignal(props.initial);
  const [loaded, setLoaded] = createSignal<ReadonlyMap<number, SampleInfo>>(new Map());
  const [error, setError] = createSignal<string | null>(null);
  let token = 0;
  let requested = new Set<number>();
  let lastIndices: ArrayLike<number> | null = null;
  let lastSession: EvalSessionId | null = null;

  // One effect: a new list (or session) starts over with its first page; "Show more" fetches the
  // indices not yet asked for; replies to an older list are dropped by the token.
  createEffect(() => {
    const indices = props.indices;
    const session = props.session;
    let want = shown();
    if (indices !== lastIndices || session !== lastSession) {
      lastIndices = indices;
      lastSession = session;
      token++;
      requested = new Set();
      want = props.initial;
      untrack(() => {
        setShown(want);
        setLoaded(new Map());
        setError(null);
      });
    }
    const missing = samplePages(indices, want).flat().filter((i) => !requested.has(i));
    if (missing.length === 0) return;
    for (const i of missing) requested.add(i);
    const my = token;
    void (async () => {
      for (const page of samplePages(missing, missing.length)) {
        const reply = await props.api.samples(session, page);
        if (my !== token) return;
        if (!reply.ok) {
          setError(`${reply.error.message} (${reply.code})`);
          return;
        }
        setLoaded((m) => new Map([...m, ...reply.samples.map((s) => [s.index, s] as const)]));
      }
    })();
  });

  const visible = () => Array.from({ length: Math.min(shown(), props.indices.length) }, (_, k) => props.indices[k]!);
  const pickedHere = () => (props.picked !== null && visible().includes(props.picked) ? props.picked : null);

  return (
    <div class="sample-grid-box">
      <Show when={props.indices.length > 0} fallback={<p class="muted">{props.emptyText}</p>}>
        <ul class="sample-grid" aria-label={props.label} data-testid={props.testId} data-count={visible().length} data-total={props.indices.length}>
          <For each={visible()}>
            {(index) => <SampleCard index={index} info={loaded().get(index) ?? null} classNames={props.classNames} picked={props.picked === index} onPick={props.onPick} />}
          </For>
        </ul>
        <div class="sample-grid-foot">
          <span class="muted">
            {visible().length} of {props.indices.length} shown
          </span>
          <Show when={shown() < props.indices.length}>
            <button type="button" data-testid={`${props.testId}-more`} onClick={() => setShown((n) => n + props.step)}>
              Show {Math.min(props.step, props.indices.length - shown())} more
            </button>
          </Show>
          <Show when={pickedHere() !== null && props.pickAction}>
            <button type="button" class="primary" data-testid={`${props.testId}-action`} onClick={() => props.pickAction!.run(pickedHere()!)}>
              {props.pickAction!.label} (sample #{pickedHere()})
            </button>
          </Show>
        </div>
        <Show when={error()}>
          <p class="error" role="alert">
            Could not load these samples: {error()}
          </p>
        </Show>
      </Show>
    </div>
  );
}

function SampleCard(p: { index: number; info: SampleInfo | null; classNames: readonly string[] | null; picked: boolean; onPick: (i: number) => void }) {
  const conf = () => {
    const info = p.info;
    return info?.top?.find(([c]) => c === info.predicted)?.[1] ?? null;
  };
  const wrong = () => p.info !== null && p.info.label !== undefined && p.info.label !== p.info.predicted;
  return (
    <li>
      <button
        type="button"
        class="sample-card"
        classList={{ wrong: wrong(), loading: !p.info }}
        aria-pressed={p.picked}
        data-testid="sample-card"
        data-index={p.index}
        data-true={p.info?.label ?? ''}
        data-pred={p.info?.predicted ?? ''}
        data-loss={p.info?.loss ?? ''}
        title={`Sample #${p.index}: click to pick it`}
        onClick={() => p.onPick(p.index)}
      >
        <div class="sample-preview">
          <Show when={p.info} fallback={<span class="muted">…</span>}>
            {(info) => <Preview preview={info().preview} />}
          </Show>
        </div>
        <span class="sample-facts">
          <span class="sample-id">#{p.index}</span>
          <Show when={p.info}>
            {(info) => (
              <Show
                when={p.classNames}
                fallback={
                  <>
                    <span>actual {metric(info().actual)}</span>
                    <span>pred {metric(info().prediction)}</span>
                  </>
                }
              >
                {(names) => (
                  <>
                    <span title={`true class ${className(names(), info().label)}`}>
                      true <b>{className(names(), info().label)}</b>
                    </span>
                    <span title={`predicted class ${className(names(), info().predicted)}${conf() === null ? '' : ` with probability ${percent(conf()!, 1)}`}`}>
                      pred <b>{className(names(), info().predicted)}</b>
                      {conf() === null ? '' : ` ${percent(conf()!, 0)}`}
                    </span>
                    <span>loss {metric(info().loss)}</span>
                  </>
                )}
              </Show>
            )}
          </Show>
          <Show when={!p.info || !p.classNames}>
            <span>loss {p.info ? metric(p.info.loss) : '…'}</span>
          </Show>
        </span>
      </button>
    </li>
  );
}

/** The sample itself: an image on a canvas, a text snippet, a few table columns or a sequence's values. */
export function Preview(props: { preview: SamplePreview }) {
  const pv = props.preview;
  switch (pv.kind) {
    case 'image':
      return <canvas class="sample-image" ref={(c) => drawRgba(c, pv.width, pv.height, pv.rgba)} aria-label={`${pv.width}×${pv.height} image`} />;
    case 'text':
      return <span class="sample-text">{pv.text.length > 140 ? `${pv.text.slice(0, 140)}…` : pv.text}</span>;
    case 'table':
      return (
        <span class="sample-table">
          {pv.columns
            .slice(0, 4)
            .map((c, i) => `${c} ${metric(pv.values[i])}`)
            .join(', ')}
          {pv.columns.length > 4 ? ', …' : ''}
        </span>
      );
    case 'sequence':
      return <span class="sample-text">{pv.values.slice(0, 8).map((v) => metric(v)).join(', ')}{pv.values.length > 8 ? ', …' : ''}</span>;
    default: {
      const never: never = pv;
      throw new Error(`unknown preview ${JSON.stringify(never)}`);
    }
  }
}
