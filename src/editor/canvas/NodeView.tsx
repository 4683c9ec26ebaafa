// One node card: kind, id/label, key params, output shape and parameter count, one port per
// input (named where the kind names them) and one output port. Outlined red on an error.
// Focusable (a roving tab stop) with an aria-label that says kind, name and output shape.
import { For, Show } from 'solid-js';
import type { NodeAnalysis } from '../../engine/graph/analyze.js';
import type { NodeId } from '../../engine/ids.js';
import type { GraphNode, Position } from '../../engine/project/types.js';
import { inputPortPoint, NODE_HEIGHT, NODE_WIDTH, outputPortPoint } from './edge-geometry.js';
import { inputHandleId, OUTPUT_HANDLE, PORT_SIZE } from './flow-nodes.js';
import { compactCount, fitText, keyParams, shapeText } from './node-summary.js';
import { portName } from './ports.js';
import { NO_DRAG } from './useNodeDrag.js';
import { NO_PAN } from './usePanZoom.js';

export interface NodeViewProps {
  readonly node: GraphNode;
  readonly analysis: () => NodeAnalysis | undefined;
  readonly position: () => Position;
  readonly ports: () => number;
  readonly selected: () => boolean;
  readonly attachDrag: (el: HTMLElement, id: NodeId) => void;
  readonly onPortDown: (e: MouseEvent, id: NodeId, port: Element) => void;
  readonly onSelect: (id: NodeId, additive: boolean) => void;
  /** Roving keyboard focus (optional so other views can draw nodes without it). */
  readonly tabIndex?: () => number;
  readonly onKeyDown?: (e: KeyboardEvent) => void;
  readonly onFocus?: () => void;
}

/** "Conv2D c1, output [B, 28, 28, 6]": what a screen reader says for a node. */
export function nodeAriaLabel(n: GraphNode, a: NodeAnalysis | undefined): string {
  const errors = a?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const out = a?.output ? shapeText(a.output.shape) : 'unknown';
  return `${n.kind} ${n.label ?? n.id}, output ${out}${errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
}

/** Handle attributes XYHandle looks up (`nf-flow__handle`, data-id = flow-node-handle-type). */
function handleAttrs(nodeId: string, handleId: string, type: 'source' | 'target') {
  return { 'data-id': `canvas-${nodeId}-${handleId}-${type}`, 'data-nodeid': nodeId, 'data-handleid': handleId, class: `nf-flow__handle ${type} connectable connectableend ${NO_DRAG} ${NO_PAN}` };
}

export function NodeView(props: NodeViewProps) {
  const n = props.node;
  const errors = () => props.analysis()?.diagnostics.filter((d) => d.severity === 'error') ?? [];
  const count = () => {
    const c = props.analysis()?.paramCount;
    return c ? c.trainable + c.nonTrainable : 0;
  };
  const shape = () => props.analysis()?.output?.shape;
  return (
    <div
      ref={(el) => props.attachDrag(el, n.id)}
      class={`canvas-node ${NO_PAN}`}
      classList={{ selected: props.selected(), error: errors().length > 0 }}
      data-testid="canvas-node"
      data-node-id={n.id}
      data-focus-key={n.id}
      tabindex={props.tabIndex?.() ?? -1}
      role="button"
      aria-label={nodeAriaLabel(n, props.analysis())}
      aria-pressed={props.selected()}
      onKeyDown={(e) => props.onKeyDown?.(e)}
      onFocus={() => props.onFocus?.()}
      style={{ left: `${props.position().x}px`, top: `${props.position().y}px`, width: `${NODE_WIDTH}px`, height: `${NODE_HEIGHT}px` }}
      title={errors().map((d) => `${d.message}. ${d.suggestion}`).join('\n') || undefined}
      onClick={(e) => props.onSelect(n.id, e.ctrlKey || e.metaKey || e.shiftKey)}
    >
      <div class="node-head">
        <span class="node-kind">{n.kind}</span>
        {/* Character budgets for the 184 px content width at 12 px (head) and 11 px (params). */}
        <span class="node-id">{fitText(n.label ?? n.id, Math.max(6, 27 - n.kind.length))}</span>
      </div>
      <div class="node-params">{fitText(keyParams(props.analysis(), n.params).join(' · '), 32)}</div>
      <div class="node-foot">
        <span class="node-shape" data-testid="node-shape">{shape() ? shapeText(shape()!) : '—'}</span>
        <Show when={count() > 0}>
          <span class="node-count">{compactCount(count())} params</span>
        </Show>
      </div>
      <For each={Array.from({ length: props.ports() }, (_, i) => i)}>
        {(i) => {
          const at = () => inputPortPoint({ x: 0, y: 0 }, i, props.ports());
          const name = portName(n.kind, i);
          return (
            <div {...handleAttrs(n.id, inputHandleId(i), 'target')} data-testid="port-in" data-port={i} title={name ?? `input ${i + 1}`} style={{ left: `${at().x - PORT_SIZE / 2}px`, top: `${-PORT_SIZE / 2}px` }}>
              <Show when={name}>
                <span class="port-name">{name}</span>
              </Show>
            </div>
          );
        }}
      </For>
      <div
        {...handleAttrs(n.id, OUTPUT_HANDLE, 'source')}
        data-testid="port-out"
        title="output: drag to an input port"
        style={{ left: `${outputPortPoint({ x: 0, y: 0 }).x - PORT_SIZE / 2}px`, top: `${NODE_HEIGHT - PORT_SIZE / 2}px` }}
        on:mousedown={(e: MouseEvent) => {
          if (e.button === 0) props.onPortDown(e, n.id, e.currentTarget as Element);
        }}
      />
    </div>
  );
}
