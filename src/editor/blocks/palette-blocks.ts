// The palette's "Blocks (this project)" entries: search, insert at a point, and the drag payload.
import { instantiateBlock } from '../../engine/blocks/index.js';
import type { BlockDef, BlockId, Graph, Position } from '../../engine/project/types.js';
import type { EditorContext } from '../editor/context.js';

/** `dataTransfer` type whose data is a block id of the open project. */
export const PALETTE_BLOCK_MIME = 'application/x-neuralforge-block';

/** Blocks whose name contains every word of `query` (case-insensitive), in definition order. */
export function searchBlocks(g: Graph, query: string): BlockDef[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (g.blocks ?? []).filter((b) => words.every((w) => b.name.toLowerCase().includes(w)));
}

/** How many groups on the canvas are instances of `id`. */
export const instanceCount = (g: Graph, id: BlockId): number => g.groups?.filter((x) => x.block === id).length ?? 0;

/** Places an instance of `id` with its top-left at `at` (one undo step) and selects it; false when refused. */
export function insertBlock(ctx: EditorContext, id: BlockId, at: Position): boolean {
  const block = ctx.graph().blocks?.find((b) => b.id === id);
  if (!block) return false;
  const edit = instantiateBlock(ctx.graph(), id, { x: Math.round(at.x), y: Math.round(at.y) });
  if (!ctx.apply(edit.changes, `Insert block ${block.name}`)) return false;
  ctx.select(edit.nodeIds);
  return true;
}
