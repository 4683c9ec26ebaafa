// A scatter plot drawn on a canvas (residuals, projections): axes with nice ticks, optional
// zero line, points coloured per point; returns each point's pixel position for hit testing.
import { extent, linear, niceTicks } from './plot-scale.js';
import { hiDpiContext } from './canvas-draw.js';

export interface ScatterSpec {
  readonly width: number;
  readonly height: number;
  /** N×2 row-major data coordinates. */
  readonly points: ArrayLike<number>;
  /** CSS colour of point i. */
  readonly colour: (i: number) => string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Draw the horizontal line y = 0 (residual plots). */
  readonly zeroLine?: boolean;
  readonly radius?: number;
  /** Point drawn larger with an outline. */
  readonly highlight?: number | null;
}

const PAD = { left: 52, right: 12, top: 10, bottom: 40 };

/** Draws the plot and returns the N×2 pixel positions (CSS pixels) of the points. */
export function drawScatter(canvas: HTMLCanvasElement, s: ScatterSpec): Float32Array {
  const ctx = hiDpiContext(canvas, s.width, s.height);
  const n = Math.floor(s.points.length / 2);
  const xs = Float32Array.from({ length: n }, (_, i) => s.points[i * 2]!);
  const ys = Float32Array.from({ length: n }, (_, i) => s.points[i * 2 + 1]!);
  const [x0, x1] = pad(extent(xs));
  let [y0, y1] = pad(extent(ys));
  if (s.zeroLine) [y0, y1] = [Math.min(y0, 0), Math.max(y1, 0)];
  const fx = linear(x0, x1, PAD.left, s.width - PAD.right);
  const fy = linear(y0, y1, s.height - PAD.bottom, PAD.top);
  const px = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    px[i * 2] = fx(xs[i]!);
    px[i * 2 + 1] = fy(ys[i]!);
  }
  if (!ctx) return px;
  ctx.clearRect(0, 0, s.width, s.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, s.width, s.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#eceef2';
  ctx.fillStyle = '#4a5262';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  for (const t of niceTicks(x0, x1, 6)) {
    const x = Math.round(fx(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, PAD.top);
    ctx.lineTo(x, s.height - PAD.bottom);
    ctx.stroke();
    ctx.fillText(label(t), x, s.height - PAD.bottom + 14);
  }
  ctx.textAlign = 'right';
  for (const t of niceTicks(y0, y1, 5)) {
    const y = Math.round(fy(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(s.width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(label(t), PAD.left - 6, y + 4);
  }
  ctx.strokeStyle = '#9aa3b2';
  ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, s.width - PAD.left - PAD.right, s.height - PAD.top - PAD.bottom);
  if (s.zeroLine) {
    ctx.strokeStyle = '#b3261e';
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(PAD.left, Math.round(fy(0)) + 0.5);
    ctx.lineTo(s.width - PAD.right, Math.round(fy(0)) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const r = s.radius ?? 2.5;
  ctx.globalAlpha = 0.75;
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = s.colour(i);
    ctx.beginPath();
    ctx.arc(px[i * 2]!, px[i * 2 + 1]!, r, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  const h = s.highlight;
  if (h !== null && h !== undefined && h >= 0 && h < n) {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px[h * 2]!, px[h * 2 + 1]!, r + 3, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.fillStyle = '#1d2330';
  ctx.textAlign = 'center';
  ctx.fillText(s.xLabel, PAD.left + (s.width - PAD.left - PAD.right) / 2, s.height - 8);
  ctx.save();
  ctx.translate(12, PAD.top + (s.height - PAD.top - PAD.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(s.yLabel, 0, 0);
  ctx.restore();
  return px;
}

/** 5 % margin on each side so points on the edge are not cut. */
function pad([lo, hi]: [number, number]): [number, number] {
  const m = (hi - lo) * 0.05;
  return [lo - m, hi + m];
}

const label = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(4))));
