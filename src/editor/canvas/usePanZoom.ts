// Pan and zoom of the canvas: @xyflow/system's XYPanZoom (d3-zoom) wrapped as a Solid primitive.
// Wheel zooms, dragging the background pans; the viewport lives in a signal the view reads.
import { XYPanZoom, PanOnScrollMode, type PanZoomInstance, type Viewport } from '@xyflow/system';
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Position } from '../../engine/project/types.js';
import type { Rect } from './edge-geometry.js';

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2.5;
/** Class names XYPanZoom and XYDrag look for: nodes and ports must not start a pan. */
export const NO_PAN = 'nopan';
export const NO_WHEEL = 'nowheel';

export interface PanZoom {
  readonly viewport: Accessor<Viewport>;
  readonly instance: () => PanZoomInstance | null;
  /** Graph coordinates of a point given in pane pixels. */
  toGraph(p: Position): Position;
  /** Fits `bounds` into the pane with `padding` pixels around it. */
  fit(bounds: Rect, padding?: number): void;
  /** Moves the view so graph point `p` sits at the pane's centre, keeping the zoom. */
  centreOn(p: Position): void;
  zoomBy(factor: number): void;
  panBy(delta: Position): Promise<boolean>;
  /** Tells d3-zoom to pause while a connection or selection box is in progress. */
  setBusy(busy: { connecting: boolean; selecting: boolean }): void;
  /** Attaches to the pane element once it is mounted. */
  attach(domNode: HTMLElement): void;
}

/** XYPanZoom over the pane element; destroyed with the owning component. */
export function createPanZoom(): PanZoom {
  const [viewport, setViewport] = createSignal<Viewport>({ x: 40, y: 40, zoom: 1 });
  let instance: PanZoomInstance | null = null;
  let pane: HTMLElement | null = null;
  const busy = { connecting: false, selecting: false };

  const configure = () =>
    instance?.update({
      noWheelClassName: NO_WHEEL,
      noPanClassName: NO_PAN,
      preventScrolling: true,
      panOnScroll: false,
      panOnDrag: true,
      panOnScrollMode: PanOnScrollMode.Free,
      panOnScrollSpeed: 0.5,
      userSelectionActive: busy.selecting,
      zoomOnPinch: true,
      zoomOnScroll: true,
      zoomOnDoubleClick: false,
      zoomActivationKeyPressed: false,
      lib: 'nf',
      onTransformChange: ([x, y, zoom]) => setViewport({ x, y, zoom }),
      connectionInProgress: busy.connecting,
      paneClickDistance: 2,
    });

  const size = () => ({ w: pane?.clientWidth ?? 800, h: pane?.clientHeight ?? 600 });
  const apply = (v: Viewport) => {
    setViewport(v); // d3 reports it too; setting it here keeps the view right before the first paint
    void instance?.setViewport(v);
  };

  onCleanup(() => instance?.destroy());

  return {
    viewport,
    instance: () => instance,
    toGraph: (p) => {
      const v = viewport();
      return { x: (p.x - v.x) / v.zoom, y: (p.y - v.y) / v.zoom };
    },
    fit(bounds, padding = 40) {
      const { w, h } = size();
      const zoom = Math.min(Math.max(Math.min((w - 2 * padding) / bounds.width, (h - 2 * padding) / bounds.height), MIN_ZOOM), 1.25);
      apply({ x: (w - bounds.width * zoom) / 2 - bounds.x * zoom, y: (h - bounds.height * zoom) / 2 - bounds.y * zoom, zoom });
    },
    centreOn(p) {
      const { w, h } = size();
      const { zoom } = viewport();
      apply({ x: w / 2 - p.x * zoom, y: h / 2 - p.y * zoom, zoom });
    },
    zoomBy: (factor) => void instance?.scaleBy(factor),
    async panBy(delta) {
      const v = viewport();
      apply({ x: v.x + delta.x, y: v.y + delta.y, zoom: v.zoom });
      return delta.x !== 0 || delta.y !== 0;
    },
    setBusy(next) {
      if (next.connecting === busy.connecting && next.selecting === busy.selecting) return;
      Object.assign(busy, next);
      configure();
    },
    attach(domNode) {
      pane = domNode;
      instance = XYPanZoom({
        domNode,
        minZoom: MIN_ZOOM,
        maxZoom: MAX_ZOOM,
        translateExtent: [[-Infinity, -Infinity], [Infinity, Infinity]],
        viewport: viewport(),
        onDraggingChange: () => undefined,
      });
      configure();
    },
  };
}
