// The layers table: every node with its shape, parameter count and FLOPs, and inline editors for
// its numeric, enum and boolean params (until the canvas arrives, the way a graph gets edited).
import { For, Index, Show, type JSX } from 'solid-js';
import type { Analysis } from '../engine/graph/analyze.js';
import type { NodeId } from '../engine/ids.js';
import { layerSpec } from '../engine/layers/registry.js';
import type { ParamDef } from '../engine/params.js';
import type { GraphNode } from '../engine/project/types.js';
import { formatShape } from '../engine/tensor.js';
import { compact } from './format.js';

export interface LayerTableProps {
  readonly nodes: readonly GraphNode[];
  readonly analysis: Analysis;
  readonly readOnly: boolean;
  /** Returns false when the edit was refused (the editor then shows the stored value again). */
  readonly onParams: (nodeId: NodeId, params: Readonly<Record<string, unknown>>) => boolean;
}

/** The value shown for a param: the node's own, else the kind's default. */
const shown = (node: GraphNode, name: string, def: ParamDef): unknown => (Object.prototype.hasOwnProperty.call(node.params, name) ? node.params[name] : def.default);

function ParamEditor(props: { node: GraphNode; name: string; def: ParamDef; readOnly: boolean; onParams: LayerTableProps['onParams'] }): JSX.Element {
  const testId = () => `param-${props.node.id}-${props.name}`;
  const set = (value: unknown, reset: () => void) => {
    if (!props.onParams(props.node.id, { ...props.node.params, [props.name]: value })) reset();
  };
  const value = () => shown(props.node, props.name, props.def);
  const def = props.def;
  switch (def.type) {
    case 'int':
    case 'float':
      return (
        <input
          type="number"
          class="param-input"
          data-testid={testId()}
          aria-label={`${props.node.id} ${props.name}`}
          title={def.doc}
          step={def.type === 'int' ? 1 : 'any'}
          value={value() === null ? '' : String(value())}
          readOnly={props.readOnly}
          onInput={(e) => {
            const input = e.currentTarget;
            const text = input.value.trim();
            // Mid-typing ("", "-", "1e") is not a number yet: wait. Out-of-range numbers are kept and
            // shown as diagnostics, so the person sees the rule instead of a silently refused key.
            const n = text === '' ? (def.nullable ? null : Number.NaN) : Number(text);
            if (n !== null && !Number.isFinite(n)) return;
            set(n, () => (input.value = value() === null ? '' : String(value())));
          }}
        />
      );
    case 'enum':
      return (
        <select
          class="param-input"
          data-testid={testId()}
          aria-label={`${props.node.id} ${props.name}`}
          title={def.doc}
          disabled={props.readOnly}
          value={String(value())}
          onChange={(e) => {
            const select = e.currentTarget;
            set(select.value, () => (select.value = String(value())));
          }}
        >
          <For each={def.values}>{(v) => <option value={v}>{v}</option>}</For>
        </select>
      );
    case 'bool':
      return (
        <input
          type="checkbox"
          data-testid={testId()}
          aria-label={`${props.node.id} ${props.name}`}
          title={def.doc}
          disabled={props.readOnly}
          checked={value() === true}
          onChange={(e) => {
            const box = e.currentTarget;
            set(box.checked, () => (box.checked = value() === true));
          }}
        />
      );
    case 'ints':
    case 'intList':
    case 'pairs':
      return <code title={def.doc}>{JSON.stringify(value())}</code>;
    default: {
      const never: never = def;
      throw new Error(`unhandled param type ${(never as ParamDef).type}`);
    }
  }
}

/**
 * `<Index>` keeps each row's DOM while its node object is replaced by an edit, so an input keeps
 * focus as the person types.
 */
export function LayerTable(props: LayerTableProps) {
  return (
    <table class="layers" data-testid="layers">
      <thead>
        <tr><th>node</th><th>kind</th><th>settings</th><th>output shape</th><th class="num">params</th><th class="num">FLOPs</th></tr>
      </thead>
      <tbody>
        <Index each={props.nodes}>
          {(n) => {
            const a = () => props.analysis.nodes.get(n().id);
            const spec = () => layerSpec(n().kind);
            return (
              <tr data-testid="layer-row" data-node-id={n().id} classList={{ error: a()?.diagnostics.some((d) => d.severity === 'error') ?? false }}>
                <td>{n().id}</td>
                <td>{n().kind}</td>
                <td class="settings">
                  <Show when={spec()}>
                    {(s) => (
                      <For each={Object.keys(s().params)}>
                        {(name) => (
                          <label class="param">
                            <span>{name}</span>
                            <Show when={s().params[name]} keyed>
                              {(def) => <ParamEditor node={n()} name={name} def={def} readOnly={props.readOnly} onParams={props.onParams} />}
                            </Show>
                          </label>
                        )}
                      </For>
                    )}
                  </Show>
                </td>
                <td><code data-testid="output-shape">{a()?.output ? formatShape(a()!.output!.shape) : '—'}</code></td>
                <td class="num" data-testid="param-count">{a() ? compact(a()!.paramCount.trainable + a()!.paramCount.nonTrainable) : '—'}</td>
                <td class="num">{a() ? compact(a()!.flops) : '—'}</td>
              </tr>
            );
          }}
        </Index>
      </tbody>
    </table>
  );
}
