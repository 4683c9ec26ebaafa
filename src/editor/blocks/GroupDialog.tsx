// "Group into block": the block's name and which of the selection's params it exposes (same-kind
// params merged, e.g. both convs' filters as one). OK applies the grouping as one undo step.
import { createSignal, For, onMount, Show } from 'solid-js';
import { candidateBlockParams, groupIntoBlock } from '../../engine/blocks/index.js';
import type { NodeId } from '../../engine/ids.js';
import type { BlockParam } from '../../engine/project/types.js';
import type { EditorContext } from '../editor/context.js';

/** Candidates of `ids`, or the reason they cannot be grouped. */
function candidates(ctx: EditorContext, ids: readonly NodeId[]): { ok: true; params: BlockParam[] } | { ok: false; reason: string } {
  try {
    return { ok: true, params: candidateBlockParams(ctx.graph(), ids) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export function GroupDialog(props: { ctx: EditorContext; nodeIds: readonly NodeId[]; onClose: () => void }) {
  const found = candidates(props.ctx, props.nodeIds);
  const [name, setName] = createSignal(`Block ${(props.ctx.graph().blocks?.length ?? 0) + 1}`);
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  const [error, setError] = createSignal<string | null>(found.ok ? null : found.reason);
  let input: HTMLInputElement | undefined;
  onMount(() => input?.select());

  const submit = (e: Event) => {
    e.preventDefault();
    if (!found.ok) return;
    try {
      const params = found.params.filter((p) => chosen().has(p.name));
      const edit = groupIntoBlock(props.ctx.graph(), props.nodeIds, { name: name(), params });
      if (!props.ctx.apply(edit.changes, `Group ${props.nodeIds.length} layers into “${name().trim()}”`)) return setError('This tab cannot edit the project right now.');
      props.ctx.select(edit.nodeIds);
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const toggle = (param: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(param);
    else next.delete(param);
    setChosen(next);
  };

  return (
    <div class="group-dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), props.onClose())}>
      <form class="group-dialog" role="dialog" aria-modal="true" aria-label="Group into block" data-testid="group-dialog" onSubmit={submit}>
        <h3>Group {props.nodeIds.length} layers into a block</h3>
        <label>
          Block name
          <input ref={input} type="text" data-testid="group-name" value={name()} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <Show when={found.ok && found.params.length > 0}>
          <fieldset>
            <legend>Block parameters (set once, written to every layer they name)</legend>
            <div class="group-dialog-params">
              <For each={found.ok ? found.params : []}>
                {(p) => (
                  <label title={p.targets.map((t) => `${t.node}.${t.param}`).join(', ')}>
                    <input type="checkbox" data-testid="group-param" data-param={p.name} checked={chosen().has(p.name)} onChange={(e) => toggle(p.name, e.currentTarget.checked)} />
                    {p.name} <span class="muted small">×{p.targets.length}</span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert" data-testid="group-error">{error()}</p>
        </Show>
        <div class="group-dialog-buttons">
          <button type="button" onClick={() => props.onClose()}>Cancel</button>
          <button type="submit" data-testid="group-ok" disabled={!found.ok}>Group</button>
        </div>
      </form>
    </div>
  );
}
