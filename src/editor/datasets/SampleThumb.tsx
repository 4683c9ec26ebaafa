// One image sample drawn on a canvas (RGBA from the worker), scaled up without smoothing by CSS,
// with its class and split underneath.
import type { SamplePreview } from '../../workers/explorer-api.js';

type ImageSample = Extract<SamplePreview, { kind: 'image' }>;

/** Writes the sample's pixels into the canvas at its own size. */
function draw(canvas: HTMLCanvasElement, s: ImageSample): void {
  canvas.width = s.width;
  canvas.height = s.height;
  canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(s.rgba), s.width, s.height), 0, 0);
}

/** A thumbnail with a caption; `classes` names label ids. */
export function SampleThumb(props: { sample: ImageSample; classes: readonly string[] | null }) {
  const name = () => (props.sample.label === null ? '' : (props.classes?.[props.sample.label] ?? String(props.sample.label)));
  return (
    <figure class="sample-tile" data-testid="sample-tile" data-index={props.sample.index} data-label={name()} data-split={props.sample.split}>
      <canvas ref={(c) => draw(c, props.sample)} role="img" aria-label={`sample ${props.sample.index}: ${name()} (${props.sample.split})`} />
      <figcaption>
        <span class="tile-label">{name()}</span> <span class={`split-badge split-${props.sample.split}`}>{props.sample.split.slice(0, 5)}</span>
      </figcaption>
    </figure>
  );
}
