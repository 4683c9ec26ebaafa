// One edge: a bezier from the source's output port to the target's input port, labelled with
// the shape it carries; red when the target's error is about this input, amber for a warning
// about it, each with its fixes.
import { For, Show } from 'solid-js';
import type { Diagnostic } from '../../engine/graph/diagnostics.js';
import type { GraphEdge, Position } from '../../engine/project/types.js';
import { bezierMidpoint, bezierPath } from './edge-geometry.js';
import type { EdgeFix } from './fixes.js';
import { NO_DRAG } from './useNodeDrag.js';
import { NO_PAN } from './usePanZoom.js';

export interface EdgeEnds {
  readonly from: Position;
  readonly to: Position;
}

/** `broken` (an error) or `warned` (a warning): the edge's look for its problem, if any. */
const problemClass = (p: Diagnostic | null) => ({ broken: p?.severity === 'error', warned: p !== null && p.severity !== 'error' });

/** The curve, in the edges' SVG layer. */
export function EdgePath(props: { edge: GraphEdge; ends: () => EdgeEnds; problem: () => Diagnostic | null }) {
  return (
    <path
      class="canvas-edge"
      classList={problemClass(props.problem())}
      data-testid="canvas-edge"
      data-source={props.edge.source}
      data-target={props.edge.target}
      data-port={props.edge.targetInput}
      d={bezierPath(props.ends().from, props.ends().to)}
    />
  );
}

/** The label at the curve's middle, in the HTML layer so it can hold buttons. */
export function EdgeLabel(props: {
  edge: GraphEdge;
  ends: () => EdgeEnds;
  shape: () => string | null;
  problem: () => Diagnostic | null;
  fixes: () => readonly EdgeFix[];
  canEdit: () => boolean;
  onFix: (fix: EdgeFix) => void;
}) {
  const mid = () => bezierMidpoint(props.ends().from, props.ends().to);
  return (
    <Show when={props.shape() || props.problem()}>
      {/* A zero-size anchor at the midpoint centres the label without a CSS transform: a transform
          per label (and per node) made Chromium's layerize step cost ~90 ms a frame at 500 nodes. */}
      <div class="edge-anchor" classList={problemClass(props.problem())} style={{ left: `${mid().x}px`, top: `${mid().y}px` }}>
      <div
        class={`edge-label ${NO_PAN} ${NO_DRAG}`}
        classList={problemClass(props.problem())}
        data-testid="edge-label"
        data-source={props.edge.source}
        data-target={props.edge.target}
        title={props.problem() ? `${props.problem()!.message}. ${props.problem()!.suggestion}` : undefined}
      >
        <span>{props.shape() ?? '?'}</span>
        <Show when={props.problem()}>
          <For each={props.fixes()}>
            {(fix, i) => (
              <button type="button" class="apply-fix" data-testid="apply-fix" disabled={!props.canEdit()} title={fix.label} onClick={() => props.onFix(fix)}>
                {i() === 0 ? `Apply fix: ${fix.label}` : fix.label}
              </button>
            )}
          </For>
        </Show>
      </div>
      </div>
    </Show>
  );
}
