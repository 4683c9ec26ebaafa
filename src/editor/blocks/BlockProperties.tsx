// Properties of a selected block instance: its name (editable), its block parameters built from
// each target param's schema (the same fields, inline refusals and live shape preview as a
// layer's), and the box's totals.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { blockParamValue, collapsedView, paramTargets, setBlockParam } from '../../engine/blocks/index.js';
import { analyzeGraph, type Analysis } from '../../engine/graph/analyze.js';
import { applyChange } from '../../engine/graph/changes.js';
import { layerSpec } from '../../engine/layers/registry.js';
import type { ParamDef } from '../../engine/params.js';
import type { GroupId, NodeGroup } from '../../engine/project/types.js';
import { shapeText } from '../canvas/node-summary.js';
import type { EditorContext } from '../editor/context.js';
import { compact } from '../format.js';
import { ParamField } from '../panels/param-field.js';

/** The schema of a block parameter: its first target's param (every target is written with it). */
function paramDef(ctx: EditorContext, id: GroupId, name: string): ParamDef | null {
  if (!ctx.graph().groups?.some((x) => x.id === id && x.block !== undefined)) return null;
  const first = paramTargets(ctx.graph(), id, name)[0];
  const kind = ctx.graph().nodes.find((n) => n.id === first?.node)?.kind;
  return (kind && first ? (layerSpec(kind)?.params[first.param] as ParamDef | undefined) : undefined) ?? null;
}

export function BlockProperties(props: { ctx: EditorContext; group: NodeGroup }) {
  const ctx = props.ctx;
  const id = props.group.id;
  const group = createMemo<NodeGroup>((prev) => ctx.graph().groups?.find((x) => x.id === id) ?? prev, props.group);
  // Null once the group is gone or unlinked (the panel is closing): nothing here may throw then.
  const block = createMemo(() => (group().block !== undefined ? (ctx.graph().blocks?.find((b) => b.id === group().block) ?? null) : null));
  const live = () => ctx.graph().groups?.some((x) => x.id === id && x.block !== undefined) ?? false;
  // A value being typed, analysed as if committed (all its targets at once).
  const [candidate, setCandidate] = createSignal<{ name: string; value: unknown } | null>(null);
  const preview = createMemo((): Analysis | null => {
    const c = candidate();
    if (!c || !block() || !live()) return null;
    return analyzeGraph(setBlockParam(ctx.graph(), id, c.name, c.value).reduce(applyChange, ctx.graph()));
  });
  const boxOf = (a: Analysis) => collapsedView({ ...a.graph, groups: [{ ...group(), collapsed: true }] }, a).boxes[0] ?? null;
  const committed = createMemo(() => boxOf(ctx.analysis()));
  const shown = () => (preview() ? boxOf(preview()!) : committed());
  const shapes = (b: ReturnType<typeof committed>) => b?.outputs.map((o) => (o.shape ? shapeText(o.shape) : '—')).join(' · ') || '—';
  const valueOf = (name: string) => {
    if (!live()) return null;
    const raw = blockParamValue(ctx.graph(), id, name);
    if (raw !== undefined) return raw;
    const first = paramTargets(ctx.graph(), id, name)[0]!;
    return ctx.analysis().nodes.get(first.node)?.params?.[first.param] ?? null;
  };
  const errors = () => group().nodes.flatMap((n) => ctx.analysis().nodes.get(n)?.diagnostics ?? []);

  return (
    <div class="properties" data-testid="properties" data-group-id={id}>
      <header class="properties-head">
        <strong data-testid="prop-kind">Block</strong>
        <code>{block()?.name ?? 'group'}</code>
      </header>
      <div class="param-field">
        <label for="prop-block-name">name</label>
        <input id="prop-block-name" type="text" data-testid="prop-block-name" value={group().name} disabled={!ctx.canEdit()} maxLength={200}
          onChange={(e) => {
            const name = e.currentTarget.value.trim();
            if (name && name !== group().name) ctx.apply([{ type: 'setGroup', groupId: id, patch: { name } }], 'Rename block');
          }} />
      </div>
      <Show when={block()} fallback={<p class="muted small">A plain group: it has no block parameters.</p>}>
        {(b) => (
          <Show when={b().params.length > 0} fallback={<p class="muted small">This block exposes no parameters.</p>}>
            <For each={b().params}>
              {(p) => {
                const def = paramDef(ctx, id, p.name);
                return def ? (
                  <ParamField name={p.name} def={def} value={valueOf(p.name)} disabled={!ctx.canEdit()}
                    onPreview={(v) => setCandidate(v === null ? null : { name: p.name, value: v })}
                    onCommit={(v) => {
                      if (live()) ctx.apply(setBlockParam(ctx.graph(), id, p.name, v), `Set ${p.name} of ${group().name}`);
                    }} />
                ) : (
                  <p class="error">The parameter “{p.name}” no longer matches its layers.</p>
                );
              }}
            </For>
          </Show>
        )}
      </Show>
      <dl class="properties-out">
        <dt>layers</dt>
        <dd>{group().nodes.length}</dd>
        <dt>output</dt>
        <dd data-testid="prop-shape-preview" classList={{ pending: preview() !== null }}>{shapes(shown())}</dd>
        <dt>stored</dt>
        <dd data-testid="prop-shape">{shapes(committed())}</dd>
        <dt>params</dt>
        <dd data-testid="prop-param-count">{compact(shown()?.params ?? 0)}</dd>
        <dt>FLOPs</dt>
        <dd>{compact(shown()?.flops ?? 0)}</dd>
      </dl>
      <Show when={errors().length > 0}>
        <ul class="properties-diagnostics" data-testid="prop-diagnostics">
          <For each={errors()}>{(d) => <li class={d.severity} data-code={d.code}>{d.nodeId}: {d.message}. <span class="suggestion">{d.suggestion}</span></li>}</For>
        </ul>
      </Show>
    </div>
  );
}
