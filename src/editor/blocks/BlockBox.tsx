// A collapsed block on the canvas: one node-like box with its name, a "block" badge, its
// parameter count and output shape, and the ports of the real nodes behind it.
import { For, Show } from 'solid-js';
import type { CollapsedBox } from '../../engine/blocks/index.js';
import type { NodeId } from '../../engine/ids.js';
import type { GroupId, Position } from '../../engine/project/types.js';
import { compactCount, shapeText } from '../canvas/node-summary.js';
import { inputHandleId, OUTPUT_HANDLE, PORT_SIZE } from '../canvas/flow-nodes.js';
import { NO_DRAG } from '../canvas/useNodeDrag.js';
import { NO_PAN } from '../canvas/usePanZoom.js';
import { BOX_HEIGHT, BOX_WIDTH, boxInputPoint, boxOutputPoint } from './box-geometry.js';

export interface BlockBoxProps {
  readonly box: () => CollapsedBox;
  readonly position: () => Position;
  readonly selected: () => boolean;
  readonly hasError: () => boolean;
  readonly tabIndex: () => number;
  readonly attachDrag: (el: HTMLElement, id: NodeId) => void;
  readonly onPortDown: (e: MouseEvent, id: NodeId, port: Element) => void;
  readonly onSelect: (id: GroupId, additive: boolean) => void;
  readonly onExpand: (id: GroupId) => void;
  readonly onKeyDown: (e: KeyboardEvent) => void;
  readonly onFocus: () => void;
}

/** Handle attributes XYHandle looks up, naming the real node behind the port. */
function handleAttrs(nodeId: string, handleId: string, type: 'source' | 'target') {
  return { 'data-id': `canvas-${nodeId}-${handleId}-${type}`, 'data-nodeid': nodeId, 'data-handleid': handleId, class: `nf-flow__handle ${type} connectable connectableend ${NO_DRAG} ${NO_PAN}` };
}

/** The box's one-line description for screen readers and tooltips. */
export function boxLabel(box: CollapsedBox): string {
  const shapes = box.outputs.map((o) => (o.shape ? shapeText(o.shape) : '?')).join(', ');
  return `Block ${box.group.name}, ${box.group.nodes.length} layers, output ${shapes || 'none'}`;
}

export function BlockBox(props: BlockBoxProps) {
  const id = props.box().group.id;
  const outputText = () => props.box().outputs.map((o) => (o.shape ? shapeText(o.shape) : '—')).join(' · ') || '—';
  return (
    <div
      ref={(el) => props.attachDrag(el, id as string as NodeId)}
      class={`canvas-node canvas-block ${NO_PAN}`}
      classList={{ selected: props.selected(), error: props.hasError() }}
      data-testid="canvas-block"
      data-group-id={id}
      data-focus-key={id}
      tabindex={props.tabIndex()}
      role="button"
      aria-label={boxLabel(props.box())}
      aria-pressed={props.selected()}
      style={{ transform: `translate(${props.position().x}px, ${props.position().y}px)`, width: `${BOX_WIDTH}px`, height: `${BOX_HEIGHT}px` }}
      title={`${boxLabel(props.box())}. Double-click to expand.`}
      onClick={(e) => props.onSelect(id, e.ctrlKey || e.metaKey || e.shiftKey)}
      onDblClick={() => props.onExpand(id)}
      onKeyDown={props.onKeyDown}
      onFocus={props.onFocus}
    >
      <div class="node-head">
        <span class="node-kind" data-testid="block-name">{props.box().group.name}</span>
        <span class="block-badge">block</span>
        <button type="button" class={`block-expand ${NO_DRAG} ${NO_PAN}`} data-testid="block-expand" title="Expand the block" aria-label={`Expand ${props.box().group.name}`} tabindex={-1} onClick={(e) => (e.stopPropagation(), props.onExpand(id))}>
          ⤢
        </button>
      </div>
      <div class="node-params">{props.box().group.nodes.length} layers · {compactCount(props.box().params)} params</div>
      <div class="node-foot">
        <span class="node-shape" data-testid="node-shape">{outputText()}</span>
        <span class="node-count">{compactCount(props.box().flops)} FLOPs</span>
      </div>
      <For each={props.box().inputs}>
        {(p, i) => {
          const at = () => boxInputPoint({ x: 0, y: 0 }, i(), props.box().inputs.length);
          return (
            <div {...handleAttrs(p.node, inputHandleId(p.targetInput), 'target')} data-testid="port-in" data-port={i()} title={`into ${p.node}, input ${p.targetInput + 1}`} style={{ left: `${at().x - PORT_SIZE / 2}px`, top: `${-PORT_SIZE / 2}px` }} />
          );
        }}
      </For>
      <For each={props.box().outputs}>
        {(p, k) => {
          const at = () => boxOutputPoint({ x: 0, y: 0 }, k(), props.box().outputs.length);
          return (
            <div
              {...handleAttrs(p.node, OUTPUT_HANDLE, 'source')}
              data-testid="port-out"
              title={`output of ${p.node}: drag to an input port`}
              style={{ left: `${at().x - PORT_SIZE / 2}px`, top: `${BOX_HEIGHT - PORT_SIZE / 2}px` }}
              on:mousedown={(e: MouseEvent) => {
                if (e.button === 0) props.onPortDown(e, p.node, e.currentTarget as Element);
              }}
            />
          );
        }}
      </For>
      <Show when={props.box().inputs.length === 0 && props.box().outputs.length === 0}>
        <span class="muted small">no ports</span>
      </Show>
    </div>
  );
}
