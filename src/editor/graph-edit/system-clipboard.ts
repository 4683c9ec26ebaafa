// The clipboard commands use: the system clipboard where the browser allows it, and a copy
// kept in this tab so copy then paste works even where reading the system clipboard is refused.
import type { ClipboardPort } from './commands.js';

/** A clipboard over `navigator.clipboard` (or none, in Node) with an in-tab fallback. */
export function systemClipboard(system: Pick<Clipboard, 'readText' | 'writeText'> | undefined): ClipboardPort {
  let local = '';
  let localIsNewest = false;
  return {
    async write(text) {
      local = text;
      localIsNewest = true;
      try {
        await system?.writeText(text);
        localIsNewest = false;
      } catch {
        // Refused (no permission, page not focused): this tab still has it.
      }
    },
    async read() {
      if (localIsNewest || !system) return local;
      try {
        return await system.readText();
      } catch {
        return local;
      }
    },
  };
}
