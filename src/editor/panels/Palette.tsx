// Placeholder until the palette lands: the graph editor's left slot.
import type { EditorContext } from '../editor/context.js';

export function Palette(_props: { ctx: EditorContext }) {
  return <div data-testid="palette" />;
}
