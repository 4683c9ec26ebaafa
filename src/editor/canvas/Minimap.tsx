// The minimap: every node as a small box and the visible area as a frame; dragging or
// wheeling on it pans and zooms the canvas (@xyflow/system's XYMinimap over our PanZoom).
import { XYMinimap, type Viewport } from '@xyflow/system';
import { createEffect, For, onCleanup, onMount } from 'solid-js';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import { NODE_HEIGHT, NODE_WIDTH, type Rect } from './edge-geometry.js';
import type { PanZoom } from './usePanZoom.js';

const WIDTH = 180;
const HEIGHT = 120;

export function Minimap(props: {
  panZoom: PanZoom;
  nodes: () => readonly { readonly id: NodeId }[];
  hasError: (id: NodeId) => boolean;
  position: (id: NodeId) => Position;
  bounds: () => Rect;
  paneSize: () => { w: number; h: number };
}) {
  let svg!: SVGSVGElement;
  // The graph plus the visible area, so the frame never leaves the map.
  const box = (): Rect => {
    const b = props.bounds();
    const v: Viewport = props.panZoom.viewport();
    const { w, h } = props.paneSize();
    const view = { x: -v.x / v.zoom, y: -v.y / v.zoom, width: w / v.zoom, height: h / v.zoom };
    const x = Math.min(b.x, view.x), y = Math.min(b.y, view.y);
    return { x, y, width: Math.max(b.x + b.width, view.x + view.width) - x, height: Math.max(b.y + b.height, view.y + view.height) - y };
  };
  const scale = () => Math.max(box().width / WIDTH, box().height / HEIGHT);
  const view = () => {
    const v = props.panZoom.viewport();
    const { w, h } = props.paneSize();
    return { x: -v.x / v.zoom, y: -v.y / v.zoom, width: w / v.zoom, height: h / v.zoom };
  };

  onMount(() => {
    const instance = props.panZoom.instance();
    if (!instance) return;
    const mini = XYMinimap({
      domNode: svg,
      panZoom: instance,
      getTransform: () => {
        const v = props.panZoom.viewport();
        return [v.x, v.y, v.zoom];
      },
      getViewScale: scale,
    });
    createEffect(() => mini.update({ translateExtent: [[-Infinity, -Infinity], [Infinity, Infinity]], width: props.paneSize().w, height: props.paneSize().h, pannable: true, zoomable: true, inversePan: false, zoomStep: 10 }));
    onCleanup(() => mini.destroy());
  });

  const viewBox = () => {
    const b = box();
    const s = scale();
    // Centre the content in the fixed-size map.
    const x = b.x - (WIDTH * s - b.width) / 2, y = b.y - (HEIGHT * s - b.height) / 2;
    return `${x} ${y} ${WIDTH * s} ${HEIGHT * s}`;
  };

  return (
    <svg ref={svg} class="canvas-minimap nopan nowheel" data-testid="minimap" width={WIDTH} height={HEIGHT} viewBox={viewBox()} aria-label="Minimap">
      <For each={props.nodes()}>
        {(n) => <rect class="minimap-node" classList={{ error: props.hasError(n.id) }} x={props.position(n.id).x} y={props.position(n.id).y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />}
      </For>
      <rect class="minimap-view" x={view().x} y={view().y} width={view().width} height={view().height} stroke-width={2 * scale()} />
    </svg>
  );
}
