// The residual plot of a regression: predicted value against residual (actual − predicted) for
// every sample, with the zero line; a click on a point picks that sample.
import { createEffect, createSignal } from 'solid-js';
import type { ResidualPoint } from '../../engine/eval/index.js';
import { metric } from './eval-format.js';
import { nearestPoint } from './plot-scale.js';
import { drawScatter } from './scatter.js';

const W = 560;
const H = 320;

export function ResidualPlot(props: { residuals: readonly ResidualPoint[]; picked: number | null; onPick: (index: number) => void }) {
  let canvas!: HTMLCanvasElement;
  let pixels: Float32Array = new Float32Array(0);
  const [hover, setHover] = createSignal<ResidualPoint | null>(null);
  createEffect(() => {
    const pts = props.residuals;
    const data = new Float32Array(pts.length * 2);
    pts.forEach((p, i) => {
      data[i * 2] = p.predicted;
      data[i * 2 + 1] = p.residual;
    });
    const h = pts.findIndex((p) => p.index === props.picked);
    pixels = drawScatter(canvas, { width: W, height: H, points: data, colour: () => '#1f6feb', xLabel: 'predicted', yLabel: 'residual (actual − predicted)', zeroLine: true, highlight: h });
  });
  const at = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    const i = nearestPoint(pixels, e.clientX - r.left, e.clientY - r.top, 8);
    return i >= 0 ? props.residuals[i]! : null;
  };
  return (
    <figure class="residual-plot" data-testid="residual-plot" data-points={props.residuals.length}>
      <canvas
        ref={canvas}
        class="plot-canvas"
        role="img"
        aria-label={`Residual plot of ${props.residuals.length} samples: predicted value against actual minus predicted`}
        onMouseMove={(e) => setHover(at(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const p = at(e);
          if (p) props.onPick(p.index);
        }}
      />
      <figcaption class="plot-hover">
        {hover() ? `sample #${hover()!.index}: predicted ${metric(hover()!.predicted)}, residual ${metric(hover()!.residual)} (click to pick it)` : 'Points above the red line were under-predicted, below it over-predicted. Hover a point to read it.'}
      </figcaption>
    </figure>
  );
}
