// Placeholder until the canvas lands: the graph editor's centre slot.
import type { EditorContext } from '../editor/context.js';

export function Canvas(props: { ctx: EditorContext }) {
  return <div class="canvas-placeholder" data-testid="canvas">{props.ctx.graph().nodes.length} layers</div>;
}
