// Placeholder until the properties panel lands: the graph editor's right slot.
import type { EditorContext } from '../editor/context.js';

export function Properties(_props: { ctx: EditorContext }) {
  return <div data-testid="properties" />;
}
