// Placeholder until the status bar lands: the graph editor's bottom slot.
import type { EditorContext } from '../editor/context.js';

export function StatusBar(_props: { ctx: EditorContext }) {
  return <div data-testid="status-bar" />;
}
