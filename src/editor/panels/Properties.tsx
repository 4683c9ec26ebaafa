// The properties panel for the selected layer: kind, id, label, one field per param built from
// the kind's params schema, a live output-shape preview of the value being typed, and the node's
// diagnostics with their suggestions; a selected block instance shows its block parameters instead.
import { createMemo, createSignal, For, Show, untrack } from 'solid-js';
import { reanalyze, type NodeAnalysis } from '../../engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import { layerSpec } from '../../engine/layers/registry.js';
import type { ParamDef } from '../../engine/params.js';
import type { GraphNode } from '../../engine/project/types.js';
import { shapeText } from '../canvas/node-summary.js';
import { compact } from '../format.js';
import type { EditorContext } from '../editor/context.js';
import { BlockProperties } from '../blocks/BlockProperties.js';
import { selectedGroup } from '../blocks/selection.js';
import { ParamField } from './param-field.js';
import './panels.css';

/** "Set units": the undo label for a param edit. */
export const setParamLabel = (name: string) => `Set ${name}`;

function NodeProperties(props: { ctx: EditorContext; initial: GraphNode }) {
  const ctx = props.ctx;
  // Fixed for this panel's life (the parent is keyed on the id); a pending edit committed while the
  // panel closes still goes to this node. The last version is kept once the node is gone.
  const id = props.initial.id;
  const node = createMemo<GraphNode>((prev) => ctx.graph().nodes.find((n) => n.id === id) ?? prev, props.initial);
  const spec = () => layerSpec(node().kind);
  const committed = (): NodeAnalysis | undefined => ctx.analysis().nodes.get(id);
  // The value being typed in some field, analysed as if it were committed.
  const [candidate, setCandidate] = createSignal<{ name: string; value: unknown } | null>(null);
  const preview = createMemo((): NodeAnalysis | null => {
    const c = candidate();
    if (!c || !ctx.graph().nodes.some((n) => n.id === id)) return null;
    const change: GraphChange = { type: 'setParams', nodeId: id, params: { ...node().params, [c.name]: c.value } };
    const a = reanalyze(ctx.analysis(), applyChange(ctx.graph(), change), change);
    return a.nodes.get(id) ?? null;
  });
  const shown = () => preview() ?? committed();
  const shape = (n: NodeAnalysis | null | undefined) => (n?.output ? shapeText(n.output.shape) : '—');
  const valueOf = (name: string) => node().params[name] ?? committed()?.params?.[name] ?? null;

  const commit = (name: string, value: unknown) => {
    if (!ctx.graph().nodes.some((n) => n.id === id)) return; // deleted meanwhile
    ctx.apply([{ type: 'setParams', nodeId: id, params: { ...node().params, [name]: value } }], setParamLabel(name));
  };

  return (
    <div class="properties" data-testid="properties" data-node-id={id}>
      <header class="properties-head">
        <strong data-testid="prop-kind">{node().kind}</strong>
        <code data-testid="prop-id">{id}</code>
      </header>
      <Show when={spec()}>{(s) => <p class="muted small">{s().summary}</p>}</Show>
      <div class="param-field">
        <label for="prop-label">label</label>
        <input id="prop-label" type="text" data-testid="prop-label" value={node().label ?? ''} placeholder={id} disabled={!ctx.canEdit()}
          onChange={(e) => {
            const label = e.currentTarget.value.trim();
            if (label !== (node().label ?? '')) ctx.apply([{ type: 'setLabel', nodeId: id, label: label || undefined }], 'Rename layer');
          }} />
      </div>
      <Show when={spec()} fallback={<p class="error">Unknown layer kind “{node().kind}”: its params cannot be edited.</p>}>
        {(s) => (
          <For each={Object.entries(s().params as Record<string, ParamDef>)}>
            {([name, def]) => (
              <ParamField name={name} def={def} value={valueOf(name)} disabled={!ctx.canEdit()}
                onPreview={(v) => setCandidate(v === null ? null : { name, value: v })}
                onCommit={(v) => commit(name, v)} />
            )}
          </For>
        )}
      </Show>
      <dl class="properties-out">
        <dt>output</dt>
        <dd data-testid="prop-shape-preview" classList={{ pending: preview() !== null }}>{shape(shown())}</dd>
        <dt>stored</dt>
        <dd data-testid="prop-shape">{shape(committed())}</dd>
        <dt>params</dt>
        <dd data-testid="prop-param-count">{compact((shown()?.paramCount.trainable ?? 0) + (shown()?.paramCount.nonTrainable ?? 0))}</dd>
        <dt>FLOPs</dt>
        <dd>{compact(shown()?.flops ?? 0)}</dd>
      </dl>
      <Show when={(shown()?.diagnostics.length ?? 0) > 0}>
        <ul class="properties-diagnostics" data-testid="prop-diagnostics">
          <For each={shown()!.diagnostics}>
            {(d) => (
              <li class={d.severity} data-code={d.code}>
                {d.message}. <span class="suggestion">{d.suggestion}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

export function Properties(props: { ctx: EditorContext }) {
  // A selection that is exactly a collapsed group's nodes (a box on the canvas) edits the block.
  const group = createMemo(() => {
    const g = selectedGroup(props.ctx.graph(), props.ctx.selection());
    return g?.collapsed ? g : null;
  });
  const groupKey = createMemo(() => group()?.id ?? null);
  const selected = createMemo((): GraphNode | null => {
    const sel = props.ctx.selection();
    if (sel.length !== 1) return null;
    return props.ctx.graph().nodes.find((n) => n.id === sel[0]) ?? null;
  });
  const selectedId = createMemo((): NodeId | null => selected()?.id ?? null);
  return (
    <Show when={groupKey()} keyed fallback={nodeOrNothing()}>
      {(_id) => <BlockProperties ctx={props.ctx} group={untrack(group)!} />}
    </Show>
  );

  function nodeOrNothing() {
    return (
    <Show
      when={selectedId()}
      keyed
      fallback={
        <div class="properties" data-testid="properties">
          <p class="muted small">{props.ctx.selection().length > 1 ? `${props.ctx.selection().length} layers selected.` : 'Select a layer to edit its parameters.'}</p>
        </div>
      }
    >
      {/* Keyed on the id: a different node gets fresh fields; the same node keeps focus while it changes. */}
      {(_id) => <NodeProperties ctx={props.ctx} initial={untrack(selected)!} />}
    </Show>
    );
  }
}
