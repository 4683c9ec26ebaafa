// The graph editor's canvas: a thin shell over the primitives (pan/zoom, node drag, connect,
// minimap, keyboard focus) that draws nodes, collapsed blocks, group frames and edges from the
// EditorContext and edits only through ctx.apply.
import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import type { GroupId, Position } from '../../engine/project/types.js';
import { BlockBox } from '../blocks/BlockBox.js';
import { boxLookupEntries } from '../blocks/box-geometry.js';
import { createCanvasBlocks } from '../blocks/canvas-blocks.js';
import { GroupDialog } from '../blocks/GroupDialog.js';
import { GroupFrame } from '../blocks/GroupFrame.js';
import { insertBlock, PALETTE_BLOCK_MIME } from '../blocks/palette-blocks.js';
import '../blocks/blocks.css';
import type { BlockActions } from '../graph-edit/commands.js';
import type { EditorContext, ViewActions } from '../editor/context.js';
import { positionsFor } from './auto-position.js';
import { checkConnection } from './connection.js';
import { downloadDiagram } from './diagram-export.js';
import { bezierMidpoint, bezierPath, intersects, NODE_HEIGHT, NODE_WIDTH, nodesBounds, type Rect } from './edge-geometry.js';
import { EdgeLabel, EdgePath, type EdgeEnds } from './EdgeView.js';
import { edgeProblem, fixesForEdge } from './fixes.js';
import { buildLookup } from './flow-nodes.js';
import { Minimap } from './Minimap.js';
import { shapeText } from './node-summary.js';
import { NodeView } from './NodeView.js';
import { inputPortCounts } from './ports.js';
import { createSelectionBox } from './useSelectionBox.js';
import { createConnect } from './useConnect.js';
import { createNodeDrag } from './useNodeDrag.js';
import { createKeyboardFocus } from './useKeyboardFocus.js';
import { CULL_FROM, cull, curveMayCross, pointIn, visibleWorldRect } from './culling.js';
import { createPanZoom } from './usePanZoom.js';
import { isLayerKind } from '../../engine/layers/kinds.js';
import { insertNode } from '../panels/insert-node.js';
import { PALETTE_KIND_MIME } from '../panels/palette-dnd.js';
import './canvas.css';

const plural = (n: number) => `${n} layer${n === 1 ? '' : 's'}`;
const centreOf = (p: Position): Position => ({ x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 });

export function Canvas(props: { ctx: EditorContext; registerView?: (v: ViewActions) => void }) {
  const ctx = props.ctx;
  let pane: HTMLDivElement | undefined;
  const panZoom = createPanZoom();
  const [paneSize, setPaneSize] = createSignal({ w: 800, h: 600 });
  const [message, setMessage] = createSignal<string | null>(null);
  let messageTimer: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string) => {
    setMessage(text);
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => setMessage(null), 8000);
  };
  onCleanup(() => clearTimeout(messageTimer));

  // Stored positions (auto-laid-out where missing), overridden by live ones during a drag.
  const base = createMemo(() => positionsFor(ctx.graph()));
  const [live, setLive] = createSignal<ReadonlyMap<NodeId, Position>>(new Map());
  const position = (id: NodeId): Position => live().get(id) ?? base().get(id) ?? { x: 0, y: 0 };
  const ports = createMemo(() => inputPortCounts(ctx.graph()));
  const selected = createMemo(() => new Set(ctx.selection()));
  const blocks = createCanvasBlocks({ graph: ctx.graph, analysis: ctx.analysis, base, live, position, ports: (id) => ports().get(id) ?? 0 });
  const boxSelected = (id: GroupId) => blocks.box(id)?.group.nodes.some((n) => selected().has(n)) ?? false;
  const lookup = createMemo(() => {
    const l = buildLookup(blocks.visibleNodes().map((n) => ({ id: n.id, kind: n.kind, position: base().get(n.id)!, ports: ports().get(n.id) ?? 0, hasOutput: true, selected: selected().has(n.id) })));
    for (const b of blocks.view().boxes) for (const [k, v] of boxLookupEntries(b, b.position, boxSelected(b.group.id))) l.set(k, v);
    return l;
  });
  /** Selecting a box selects its nodes (additive: toggles them). */
  const selectBox = (id: GroupId, additive: boolean) => {
    const nodes = blocks.box(id)?.group.nodes ?? [];
    if (!additive) return ctx.select(nodes);
    ctx.select(boxSelected(id) ? ctx.selection().filter((x) => !nodes.includes(x)) : [...new Set([...ctx.selection(), ...nodes])]);
  };
  const setCollapsed = (id: GroupId, collapsed: boolean) => {
    const g = ctx.graph().groups?.find((x) => x.id === id);
    if (g && !ctx.apply([{ type: 'setGroup', groupId: id, patch: { collapsed } }], `${collapsed ? 'Collapse' : 'Expand'} ${g.name}`)) say('This tab cannot edit the project right now.');
  };
  const [dialog, setDialog] = createSignal<readonly NodeId[] | null>(null);
  const transform = (): [number, number, number] => {
    const v = panZoom.viewport();
    return [v.x, v.y, v.zoom];
  };

  const attachDrag = createNodeDrag({
    lookup,
    transform,
    pane: () => pane ?? null,
    canEdit: ctx.canEdit,
    panBy: panZoom.panBy,
    onMove: (moving) => setLive(moving),
    onDrop(moved) {
      if (moved.size > 0) {
        const changes: GraphChange[] = blocks.moves(moved);
        if (!ctx.apply(changes, `Move ${plural(changes.length)}`)) say('This tab cannot edit the project right now, so the layers were not moved.');
      }
      setLive(new Map());
    },
  });

  const connect = createConnect({
    lookup,
    transform,
    pane: () => pane ?? null,
    toGraph: panZoom.toGraph,
    panBy: panZoom.panBy,
    check: (s, t, p) => (ctx.canEdit() ? checkConnection(ctx.graph(), ctx.analysis(), s, t, p) : { ok: false, reason: 'This tab is read-only.' }),
    onBusy: (connecting) => panZoom.setBusy({ connecting, selecting: false }),
    onConnect(source, target, targetInput) {
      if (ctx.apply([{ type: 'addEdge', edge: { source, target, targetInput } }], `Connect ${source} → ${target}`)) setMessage(null);
    },
    onRefused: (reason) => say(`Not connected: ${reason}`),
  });

  const box = createSelectionBox({
    toGraph: panZoom.toGraph,
    onBusy: (selecting) => panZoom.setBusy({ connecting: false, selecting }),
    onSelect(r: Rect, additive) {
      const hit = blocks.visibleNodes().filter((n) => intersects(r, { ...position(n.id), width: NODE_WIDTH, height: NODE_HEIGHT })).map((n) => n.id);
      for (const b of blocks.view().boxes) if (intersects(r, { ...b.position, width: NODE_WIDTH, height: NODE_HEIGHT })) hit.push(...b.group.nodes);
      ctx.select(additive ? [...new Set([...ctx.selection(), ...hit])] : hit);
    },
  });

  const ends = (e: { source: NodeId; target: NodeId; targetInput: number }): EdgeEnds => blocks.ends(e);

  const bounds = () => nodesBounds(base().values());
  const fitView = () => panZoom.fit(bounds());
  const view: ViewActions & { zoomIn(): void; zoomOut(): void } = {
    fitView,
    zoomIn: () => panZoom.zoomBy(1.2),
    zoomOut: () => panZoom.zoomBy(1 / 1.2),
    focusNode(id) {
      // A node inside a collapsed block is shown by its box.
      const inBox = blocks.view().hidden.get(id);
      const p = inBox === undefined ? base().get(id) : blocks.box(inBox)?.position;
      if (!p) return;
      ctx.select([id]);
      panZoom.centreOn({ x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 });
    },
    centre: () => panZoom.toGraph({ x: paneSize().w / 2, y: paneSize().h / 2 }),
  };
  const blockActions: BlockActions = { openGroupDialog: (ids) => setDialog(ids.length > 0 ? [...ids] : null) };
  props.registerView?.({ ...view, ...blockActions });

  // One roving tab stop over nodes and boxes (keys: node ids and group ids).
  const focus = createKeyboardFocus({
    items: () => [
      ...blocks.visibleNodes().map((n) => ({ key: n.id as string, centre: centreOf(position(n.id)) })),
      ...blocks.view().boxes.map((b) => ({ key: b.group.id as string, centre: centreOf(b.position) })),
    ],
    selectedKeys: () => ctx.selection().map((id) => blocks.view().hidden.get(id) ?? id),
    select: (key) => (blocks.box(key as GroupId) ? selectBox(key as GroupId, false) : ctx.select([key as NodeId])),
    element: (key) => pane?.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`) ?? null,
    onLost: () => pane?.parentElement?.focus({ preventScroll: true }),
    reveal(key) {
      const box = blocks.box(key as GroupId);
      const p = box ? box.position : base().get(key as NodeId);
      if (!p) return;
      const v = panZoom.viewport();
      const sx = (p.x + NODE_WIDTH / 2) * v.zoom + v.x;
      const sy = (p.y + NODE_HEIGHT / 2) * v.zoom + v.y;
      if (sx < 0 || sy < 0 || sx > paneSize().w || sy > paneSize().h) panZoom.centreOn(centreOf(p));
    },
  });

  // Big graphs mount only what is near the view (plus the selection and the focused item).
  const worldRect = createMemo(() => visibleWorldRect(panZoom.viewport(), paneSize()));
  const mountedNodes = createMemo(() => {
    const f = focus.focused();
    return cull(blocks.visibleNodes(), worldRect(), position, new Set<string>(f === null ? ctx.selection() : [...ctx.selection(), f]));
  });
  const mountedPaths = createMemo(() => {
    const edges = blocks.visibleEdges();
    const r = edges.length < CULL_FROM ? null : worldRect();
    return r === null ? edges : edges.filter((e) => curveMayCross(r, ends(e).from, ends(e).to));
  });
  const mountedLabels = createMemo(() => {
    const edges = blocks.visibleEdges();
    const r = edges.length < CULL_FROM ? null : worldRect();
    return r === null ? edges : edges.filter((e) => edgeProblem(ctx.analysis(), e) !== null || pointIn(r, bezierMidpoint(ends(e).from, ends(e).to)));
  });

  onMount(() => {
    if (!pane) return;
    panZoom.attach(pane);
    const resize = new ResizeObserver(([entry]) => entry && setPaneSize({ w: entry.contentRect.width, h: entry.contentRect.height }));
    resize.observe(pane);
    onCleanup(() => resize.disconnect());
    setPaneSize({ w: pane.clientWidth, h: pane.clientHeight });
    fitView();
  });

  function onKey(e: KeyboardEvent) {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const pan = (x: number, y: number) => void panZoom.panBy({ x, y });
    // Zoom keys (+, -) live in the command table, which calls view.zoomIn/zoomOut.
    const keys: Record<string, () => void> = {
      ArrowLeft: () => pan(60, 0),
      ArrowRight: () => pan(-60, 0),
      ArrowUp: () => pan(0, 60),
      ArrowDown: () => pan(0, -60),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  }

  /** A layer or block dragged from the palette lands where it is dropped (centred under the pointer), unconnected. */
  function onDrop(e: DragEvent) {
    const kind = e.dataTransfer?.getData(PALETTE_KIND_MIME) ?? '';
    const block = e.dataTransfer?.getData(PALETTE_BLOCK_MIME) ?? '';
    if ((!isLayerKind(kind) && !block) || !pane) return;
    e.preventDefault();
    const r = pane.getBoundingClientRect();
    const at = panZoom.toGraph({ x: e.clientX - r.left, y: e.clientY - r.top });
    if (!isLayerKind(kind)) {
      const def = ctx.graph().blocks?.find((b) => b.id === block);
      if (def && !insertBlock(ctx, def.id, { x: at.x - NODE_WIDTH / 2, y: at.y - NODE_HEIGHT / 2 })) say(`This tab cannot edit the project right now, so the block ${def.name} was not added.`);
      return;
    }
    const { id, changes } = insertNode(ctx.graph(), kind, null, { x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y - NODE_HEIGHT / 2) });
    if (ctx.apply(changes, `Insert ${kind}`)) ctx.select([id]);
    else say(`This tab cannot edit the project right now, so the ${kind} was not added.`);
  }
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes(PALETTE_KIND_MIME) && !e.dataTransfer?.types.includes(PALETTE_BLOCK_MIME)) return;
    e.preventDefault(); // accept the drop
    e.dataTransfer.dropEffect = 'copy';
  };

  return (
    // The canvas itself is focusable by click (arrows pan); Tab goes to the roving node stop.
    <div class="canvas" data-testid="canvas" tabindex="-1" onKeyDown={onKey} ref={(el) => box.attach(el, () => pane ?? null)}>
      <div class="canvas-pane" ref={pane} onClick={(e) => e.target === e.currentTarget && ctx.select([])} onDragOver={onDragOver} onDrop={onDrop}>
        <div class="canvas-viewport" style={{ transform: `translate(${panZoom.viewport().x}px, ${panZoom.viewport().y}px) scale(${panZoom.viewport().zoom})` }}>
          <For each={(ctx.graph().groups ?? []).filter((x) => !x.collapsed)}>
            {(g) => <GroupFrame part="frame" group={g} canEdit={ctx.canEdit} onCollapse={(id) => setCollapsed(id, true)} bounds={() => nodesBounds(g.nodes.map(position))} />}
          </For>
          <svg class="canvas-edges" width="1" height="1">
            <For each={mountedPaths()}>{(e) => <EdgePath edge={e} ends={() => ends(e)} problem={() => edgeProblem(ctx.analysis(), e)} />}</For>
            <Show when={connect.pending()}>
              {(c) => <path class="canvas-connection" classList={{ refused: c().check?.ok === false, accepted: c().check?.ok === true }} data-testid="pending-connection" d={bezierPath(c().from, c().to)} />}
            </Show>
          </svg>
          <For each={mountedNodes()}>
            {(n) => (
              <NodeView
                tabIndex={() => focus.tabIndex(n.id)}
                onKeyDown={(e) => focus.onKeyDown(e, n.id)}
                onFocus={() => focus.onFocus(n.id)}
                node={n}
                analysis={() => ctx.analysis().nodes.get(n.id)}
                position={() => position(n.id)}
                ports={() => ports().get(n.id) ?? 0}
                selected={() => selected().has(n.id)}
                attachDrag={attachDrag}
                onPortDown={(e, id, el) => (ctx.canEdit() ? connect.start(e, id, el) : say('This tab is read-only, so connections cannot be made here.'))}
                onSelect={(id, additive) => ctx.select(additive ? (selected().has(id) ? ctx.selection().filter((x) => x !== id) : [...ctx.selection(), id]) : [id])}
              />
            )}
          </For>
          <For each={blocks.view().boxes}>
            {(b) => (
              <BlockBox
                box={() => blocks.box(b.group.id) ?? b}
                position={() => blocks.boxPosition(blocks.box(b.group.id) ?? b)}
                selected={() => boxSelected(b.group.id)}
                hasError={() => b.group.nodes.some((id) => ctx.analysis().nodes.get(id)?.diagnostics.some((d) => d.severity === 'error'))}
                tabIndex={() => focus.tabIndex(b.group.id)}
                attachDrag={attachDrag}
                onPortDown={(e, id, el) => (ctx.canEdit() ? connect.start(e, id, el) : say('This tab is read-only, so connections cannot be made here.'))}
                onSelect={selectBox}
                onExpand={(id) => setCollapsed(id, false)}
                onKeyDown={(e) => focus.onKeyDown(e, b.group.id)}
                onFocus={() => focus.onFocus(b.group.id)}
              />
            )}
          </For>
          <For each={mountedLabels()}>
            {(e) => {
              const problem = () => edgeProblem(ctx.analysis(), e);
              const shape = () => {
                const s = ctx.analysis().nodes.get(e.source)?.output?.shape;
                return s ? shapeText(s) : null;
              };
              return <EdgeLabel edge={e} ends={() => ends(e)} shape={shape} problem={problem} fixes={() => (problem() ? fixesForEdge(ctx.graph(), ctx.analysis(), e) : [])} canEdit={ctx.canEdit} onFix={(fix) => ctx.apply(fix.changes, fix.label)} />;
            }}
          </For>
          <For each={(ctx.graph().groups ?? []).filter((x) => !x.collapsed)}>
            {(g) => <GroupFrame part="head" group={g} canEdit={ctx.canEdit} onCollapse={(id) => setCollapsed(id, true)} bounds={() => nodesBounds(g.nodes.map(position))} />}
          </For>
          <Show when={connect.pending()?.check}>
            {(check) => (
              <div class="connection-verdict" classList={{ refused: !check().ok }} data-testid="connection-verdict" style={{ transform: `translate(${connect.pending()!.to.x + 14}px, ${connect.pending()!.to.y + 14}px)` }}>
                {check().ok ? 'Release to connect' : (check() as { reason: string }).reason}
              </div>
            )}
          </Show>
        </div>
        <Show when={box.rect()}>{(r) => <div class="selection-box" data-testid="selection-box" style={{ left: `${r().x}px`, top: `${r().y}px`, width: `${r().width}px`, height: `${r().height}px` }} />}</Show>
      </div>
      <Show when={message()}>
        <div class="canvas-message" data-testid="canvas-message" role="status">
          {message()}
          <button type="button" aria-label="Dismiss" onClick={() => setMessage(null)}>×</button>
        </div>
      </Show>
      <div class="canvas-tools">
        <button type="button" data-testid="zoom-in" title="Zoom in (+)" onClick={() => panZoom.zoomBy(1.2)}>+</button>
        <button type="button" data-testid="zoom-out" title="Zoom out (−)" onClick={() => panZoom.zoomBy(1 / 1.2)}>−</button>
        <button type="button" data-testid="fit-view" title="Fit the whole graph in view" onClick={fitView}>Fit</button>
        <button type="button" data-testid="export-svg" title="Download the diagram as SVG" onClick={() => void downloadDiagram(ctx.graph(), ctx.analysis(), 'svg')}>SVG</button>
        <button type="button" data-testid="export-png" title="Download the diagram as PNG" onClick={() => downloadDiagram(ctx.graph(), ctx.analysis(), 'png').catch((e: unknown) => say(e instanceof Error ? e.message : String(e)))}>PNG</button>
      </div>
      <Show when={dialog()}>{(ids) => <GroupDialog ctx={ctx} nodeIds={ids()} onClose={() => { setDialog(null); pane?.parentElement?.focus(); }} />}</Show>
      <Minimap panZoom={panZoom} nodes={() => ctx.graph().nodes} hasError={(id) => ctx.analysis().nodes.get(id)?.diagnostics.some((d) => d.severity === 'error') ?? false} position={(id) => base().get(id) ?? { x: 0, y: 0 }} bounds={bounds} paneSize={paneSize} />
    </div>
  );
}
