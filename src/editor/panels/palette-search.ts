// What the palette lists: every registered layer kind with its category and summary, grouped by
// category, and a search that ranks the kind a person most likely meant first.
import { LAYER_KINDS, type LayerCategory, type LayerKind } from '../../engine/layers/kinds.js';
import { LAYERS } from '../../engine/layers/registry.js';

export interface PaletteEntry {
  readonly kind: LayerKind;
  readonly category: LayerCategory;
  readonly summary: string;
}

/** Category order in the palette: data flows top to bottom as in most models. */
export const CATEGORY_ORDER: readonly LayerCategory[] = [
  'input', 'core', 'convolution', 'pooling', 'reshaping', 'recurrent', 'attention', 'normalization', 'activation', 'merge',
];

/** Every kind, in registry order. */
export function paletteEntries(): PaletteEntry[] {
  return LAYER_KINDS.map((kind) => ({ kind, category: LAYERS[kind].category, summary: LAYERS[kind].summary }));
}

/** Entries grouped by category, in CATEGORY_ORDER, empty groups dropped. */
export function groupByCategory(entries: readonly PaletteEntry[]): { category: LayerCategory; entries: PaletteEntry[] }[] {
  return CATEGORY_ORDER.map((category) => ({ category, entries: entries.filter((e) => e.category === category) })).filter((g) => g.entries.length > 0);
}

/** Lower is better; null when the entry does not match at all. */
function rank(e: PaletteEntry, q: string): number | null {
  const kind = e.kind.toLowerCase();
  if (kind === q) return 0;
  if (kind.startsWith(q)) return 1;
  if (kind.includes(q)) return 2;
  if (e.category.startsWith(q)) return 3;
  if (e.category.includes(q)) return 4;
  if (e.summary.toLowerCase().includes(q)) return 5;
  return null;
}

/**
 * Entries matching `query` (kind, category or summary, case-insensitive), best first: exact kind,
 * kind prefix, kind substring, category, then summary; ties keep registry order. An empty query
 * returns everything.
 * @example searchPalette(paletteEntries(), 'dense')[0].kind // → 'Dense'
 */
export function searchPalette(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...entries];
  return entries
    .map((e, i) => ({ e, i, r: rank(e, q) }))
    .filter((x): x is { e: PaletteEntry; i: number; r: number } => x.r !== null)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.e);
}
