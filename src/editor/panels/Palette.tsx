// The palette: every layer kind by category, with search, then the project's own blocks. Enter or
// a click inserts the kind after the selected node (or the block at the view's centre; one undo
// step); dragging a row onto the canvas drops it there.
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { deleteBlock } from '../../engine/blocks/index.js';
import type { BlockDef } from '../../engine/project/types.js';
import { insertBlock, instanceCount, PALETTE_BLOCK_MIME, searchBlocks } from '../blocks/palette-blocks.js';
import type { EditorContext } from '../editor/context.js';
import { insertNode } from './insert-node.js';
import { PALETTE_KIND_MIME } from './palette-dnd.js';
import { groupByCategory, paletteEntries, searchPalette, type PaletteEntry } from './palette-search.js';
import './panels.css';

const ENTRIES = paletteEntries();

/** Inserts `kind` after the single selected node (or alone at the insert position) and selects it. */
export function insertKind(ctx: EditorContext, kind: string): boolean {
  const sel = ctx.selection();
  const after = sel.length === 1 && ctx.graph().nodes.some((n) => n.id === sel[0]) ? sel[0]! : null;
  const { id, changes } = insertNode(ctx.graph(), kind, after, ctx.insertPosition());
  if (!ctx.apply(changes, `Insert ${kind}`)) return false;
  ctx.select([id]);
  return true;
}

export function Palette(props: { ctx: EditorContext }) {
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const matches = createMemo(() => searchPalette(ENTRIES, query()));
  // Searching shows one ranked list (best first); browsing shows the categories.
  const groups = createMemo(() => (query().trim() ? [{ category: 'results', entries: matches() }] : groupByCategory(matches())));
  const blocks = createMemo(() => searchBlocks(props.ctx.graph(), query()));
  // The keyboard walks the layers, then the blocks.
  const count = () => matches().length + blocks().length;
  const activeIndex = () => Math.min(active(), count() - 1);
  const activeKind = () => matches()[activeIndex()]?.kind;
  const activeBlock = () => (activeIndex() >= matches().length ? blocks()[activeIndex() - matches().length] : undefined);

  let root: HTMLDivElement | undefined;
  // Keep the keyboard's choice in view in a long list.
  createEffect(() => {
    const k = activeKind();
    if (query().trim()) root?.querySelector(`[data-kind="${k}"]`)?.scrollIntoView?.({ block: 'nearest' });
  });

  const onKey = (e: KeyboardEvent) => {
    const n = count();
    if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, n - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter') {
      const k = activeKind();
      const b = activeBlock();
      if (k && props.ctx.canEdit()) insertKind(props.ctx, k);
      else if (b && props.ctx.canEdit()) insertBlock(props.ctx, b.id, props.ctx.insertPosition());
    } else if (e.key === 'Escape') setQuery('');
    else return;
    e.preventDefault();
  };

  const row = (entry: PaletteEntry) => (
    <li
      class="palette-item"
      classList={{ active: entry.kind === activeKind() && query().trim() !== '' }}
      data-testid="palette-item"
      data-kind={entry.kind}
      role="option"
      aria-selected={entry.kind === activeKind() && query().trim() !== ''}
      title={entry.summary}
      draggable={props.ctx.canEdit()}
      onDragStart={(e) => {
        e.dataTransfer?.setData(PALETTE_KIND_MIME, entry.kind);
        e.dataTransfer?.setData('text/plain', entry.kind);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
      }}
      onClick={() => props.ctx.canEdit() && insertKind(props.ctx, entry.kind)}
    >
      <span class="palette-kind">{entry.kind}</span>
    </li>
  );

  const blockRow = (b: BlockDef) => {
    const isActive = () => activeBlock()?.id === b.id && query().trim() !== '';
    const uses = () => instanceCount(props.ctx.graph(), b.id);
    return (
      <li
        class="palette-item palette-block"
        classList={{ active: isActive() }}
        data-testid="palette-block"
        data-block-id={b.id}
        role="option"
        aria-selected={isActive()}
        title={`${b.nodes.length} layers${b.params.length ? `; parameters: ${b.params.map((p) => p.name).join(', ')}` : ''}`}
        draggable={props.ctx.canEdit()}
        onDragStart={(e) => {
          e.dataTransfer?.setData(PALETTE_BLOCK_MIME, b.id);
          e.dataTransfer?.setData('text/plain', b.name);
          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => props.ctx.canEdit() && insertBlock(props.ctx, b.id, props.ctx.insertPosition())}
      >
        <span class="palette-kind">{b.name}</span> <span class="muted small">{b.nodes.length} layers</span>
        <button
          type="button"
          class="palette-block-delete"
          data-testid="palette-block-delete"
          disabled={!props.ctx.canEdit() || uses() > 0}
          title={uses() > 0 ? `Used by ${uses()} instance${uses() === 1 ? '' : 's'} on the canvas: ungroup or delete them first` : `Delete the block “${b.name}”`}
          aria-label={`Delete the block ${b.name}`}
          onClick={(e) => {
            e.stopPropagation();
            props.ctx.apply(deleteBlock(props.ctx.graph(), b.id), `Delete block ${b.name}`);
          }}
        >
          ×
        </button>
      </li>
    );
  };

  return (
    <div class="palette" data-testid="palette" ref={root}>
      <input
        type="search"
        class="palette-search"
        data-testid="palette-search"
        placeholder="Search layers…"
        aria-label="Search layers"
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <Show when={!props.ctx.canEdit()}>
        <p class="muted small">Read-only: layers cannot be added here.</p>
      </Show>
      <For each={groups()}>
        {(g) => (
          <section class="palette-group" data-category={g.category}>
            <h4>{g.category}</h4>
            <ul role="listbox" aria-label={g.category}>
              <For each={g.entries}>{row}</For>
            </ul>
          </section>
        )}
      </For>
      <Show when={matches().length === 0}>
        <p class="muted small" data-testid="palette-empty">No layer matches “{query()}”.</p>
      </Show>
      <Show when={(props.ctx.graph().blocks?.length ?? 0) > 0}>
        <section class="palette-group" data-category="blocks" data-testid="palette-blocks">
          <h4>Blocks (this project)</h4>
          <ul role="listbox" aria-label="Blocks (this project)">
            <For each={blocks()} fallback={<li class="muted small">No block matches “{query()}”.</li>}>{blockRow}</For>
          </ul>
        </section>
      </Show>
    </div>
  );
}
