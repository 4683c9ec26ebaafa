// The command table and its keyboard handler: unique ids, keys that parse and never clash,
// key presses matched as a person types them, text fields left alone; and the editing commands
// run end to end on a real project document with undo history.
import { describe, expect, it } from 'vitest';
import { createSignal } from 'solid-js';
import type { NodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import type { EditorContext } from '../../src/editor/editor/context.js';
import { command, commandState, COMMANDS, type CommandEnv, type CommandId } from '../../src/editor/graph-edit/commands.js';
import { attachHistory } from '../../src/editor/graph-edit/editor-history.js';
import { changeSchema } from '../../src/editor/graph-edit/change-schema.js';
import { candidateBlockParams, groupIntoBlock } from '../../src/engine/blocks/index.js';
import { commandFor, displayKeys, normalizeKeys, pressCombo, shortcutHandler, type KeyPress } from '../../src/editor/graph-edit/shortcuts.js';
import { systemClipboard } from '../../src/editor/graph-edit/system-clipboard.js';
import { openDoc, unordered } from './graph-edit-helpers.js';

const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the command table', () => {
  it('has unique ids and keys that parse and belong to one command each', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const owner = new Map<string, CommandId>();
    for (const c of COMMANDS)
      for (const k of c.keys) {
        const combo = normalizeKeys(k);
        expect(owner.get(combo), `${k} of ${c.id} is also ${owner.get(combo)}'s`).toBeUndefined();
        owner.set(combo, c.id);
      }
    // Every common action has a key; only the export commands are toolbar-only.
    expect(COMMANDS.filter((c) => c.keys.length === 0).map((c) => c.id)).toEqual(['exportSvg', 'exportPng']);
  });

  it('refuses key specs with unknown modifiers or no key', () => {
    expect(() => normalizeKeys('Hyper+Z')).toThrow(/unknown modifier "Hyper"/);
    expect(() => normalizeKeys('Mod+')).toThrow(/names no key/);
    expect(normalizeKeys('shift+ctrl+z')).toBe('Mod+Shift+Z');
    expect(normalizeKeys('Mod++')).toBe('Mod++');
  });

  it('matches key presses the way browsers report them', () => {
    const at = (p: KeyPress) => commandFor(COMMANDS, pressCombo(p)!)?.id;
    expect(at(press('z', 'KeyZ', { ctrlKey: true }))).toBe('undo');
    expect(at(press('z', 'KeyZ', { metaKey: true }))).toBe('undo'); // Cmd on a Mac
    expect(at(press('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(at(press('y', 'KeyY', { ctrlKey: true }))).toBe('redo');
    expect(at(press('я', 'KeyZ', { ctrlKey: true }))).toBe('undo'); // a Cyrillic layout: the physical key counts
    expect(at(press('?', 'Slash', { shiftKey: true }))).toBe('help'); // Shift is part of "?"
    expect(at(press('/', 'Slash'))).toBe('insertLayer');
    expect(at(press('!', 'Digit1', { shiftKey: true }))).toBe('fitView');
    expect(at(press('Delete', 'Delete'))).toBe('delete');
    expect(at(press('Backspace', 'Backspace'))).toBe('delete');
    expect(at(press('+', 'Equal', { shiftKey: true }))).toBe('zoomIn');
    expect(at(press('z', 'KeyZ'))).toBeUndefined();
    expect(pressCombo(press('Control', 'ControlLeft', { ctrlKey: true }))).toBeNull();
    expect(displayKeys('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(displayKeys('Mod+Shift+Z', true)).toBe('⌘⇧Z');
  });
});

/** An EditorContext over a real document with history, like EditorView's, without the view. */
async function editor(graph: Graph) {
  const { doc } = await openDoc(graph);
  const history = attachHistory(doc, { saveDelayMs: 0 });
  const [selection, select] = createSignal<readonly NodeId[]>([]);
  const view = { fitView: () => undefined, focusNode: () => undefined, centre: () => ({ x: 0, y: 0 }) };
  const ctx: EditorContext = {
    graph: () => doc.record().draft.graph,
    analysis: doc.analysis,
    canEdit: () => doc.canEdit(),
    selection,
    select: (ids) => select(ids),
    apply: (c, l) => history.apply(c, l),
    undo: () => void history.undo(),
    redo: () => void history.redo(),
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    insertPosition: () => ({ x: 0, y: 0 }),
    view,
    batchSize: () => 32,
  };
  const notices: string[] = [];
  const dialogs: (readonly NodeId[])[] = [];
  let fits = 0;
  const env: CommandEnv = {
    editor: ctx,
    clipboard: systemClipboard(undefined),
    canvas: () => ({ ...view, fitView: () => void fits++, openGroupDialog: (ids: readonly NodeId[]) => void dialogs.push(ids) }),
    diagram: null,
    ui: { toggleHelp: () => notices.push('help'), focusPaletteSearch: () => false, notify: (m) => notices.push(m) },
  };
  const run = async (id: CommandId) => {
    const s = commandState(command(id), env);
    if (!s.enabled) throw new Error(`${id} is disabled: ${s.reason}`);
    await command(id).run(env);
  };
  return { doc, ctx, env, run, notices, dialogs, fits: () => fits, close: async () => (history.dispose(), await doc.close()) };
}

describe('editing commands on a project', () => {
  it('delete, duplicate, cut, paste and auto-layout, each one undo step, all undone back to the start', async () => {
    const start = TEMPLATES.find((t) => t.id === 'lenet5')!.project().graph;
    const e = await editor(start);
    const g = () => e.ctx.graph();
    expect(commandState(command('delete'), e.env)).toEqual({ enabled: false, reason: 'Select one or more layers first.' });
    expect(commandState(command('undo'), e.env)).toEqual({ enabled: false, reason: 'Nothing to undo.' });
    expect(commandState(command('exportSvg'), e.env)).toMatchObject({ enabled: false, reason: expect.stringMatching(/not available/) });

    const [, conv, pool] = start.nodes;
    e.ctx.select([conv!.id, pool!.id]);
    await e.run('duplicate');
    expect(g().nodes).toHaveLength(start.nodes.length + 2);
    expect(e.ctx.selection()).toHaveLength(2); // the copies are selected
    await e.run('copy');
    await e.run('delete'); // the two copies
    expect(unordered(g())).toEqual(unordered(start));
    await e.run('paste');
    expect(g().nodes).toHaveLength(start.nodes.length + 2);
    e.ctx.select([conv!.id]);
    await e.run('cut');
    expect(g().nodes.some((n) => n.id === conv!.id)).toBe(false);
    await e.run('autoLayout');
    expect(e.fits()).toBe(1);
    await e.run('selectAll');
    expect(e.ctx.selection()).toHaveLength(g().nodes.length);

    const steps = ['duplicate', 'delete', 'paste', 'cut', 'autoLayout'].length;
    for (let i = 0; i < steps; i++) await e.run('undo');
    expect(e.ctx.canUndo()).toBe(false);
    expect(unordered(g())).toEqual(unordered(start));
    await e.close();
  });

  it('group into block, expand/collapse and ungroup: each one undo step, each refused with a reason when it cannot run', async () => {
    const start = TEMPLATES.find((t) => t.id === 'lenet5')!.project().graph;
    const e = await editor(start);
    const g = () => e.ctx.graph();
    expect(commandState(command('groupIntoBlock'), e.env)).toEqual({ enabled: false, reason: 'Select one or more layers first.' });
    const stack = ['c1', 's2', 'c3', 's4'] as NodeId[];
    e.ctx.select(stack);
    expect(commandState(command('ungroup'), e.env)).toEqual({ enabled: false, reason: 'Select a block (or a layer in a group) first.' });
    await e.run('groupIntoBlock');
    expect(e.dialogs).toEqual([stack]); // the canvas's dialog asks for the name and params
    const edit = groupIntoBlock(g(), stack, { name: 'Stack', params: candidateBlockParams(g(), stack).filter((p) => p.name === 'filters') });
    expect(e.ctx.apply(edit.changes, 'Group')).toBe(true);
    const grouped = g();
    e.ctx.select([stack[1]!]);
    expect(commandState(command('groupIntoBlock'), e.env)).toMatchObject({ enabled: false, reason: expect.stringMatching(/“Stack” is already a group/) });
    await e.run('toggleBlock');
    expect(g().groups![0]!.collapsed).toBe(false);
    await e.run('toggleBlock');
    expect(g().groups![0]!.collapsed).toBe(true);
    await e.run('ungroup');
    expect(g().groups).toBeUndefined();
    expect(g().blocks).toHaveLength(1); // still in the palette
    for (const step of ['ungroup', 'collapse', 'expand']) {
      await e.run('undo');
      expect(g().groups, `after undoing ${step}`).toHaveLength(1);
    }
    expect(g()).toEqual(grouped);
    await e.run('undo');
    expect(g()).toEqual(start);
    // Every change a block edit records survives the history's storage schema unchanged.
    for (const c of [...edit.changes, { type: 'setGroup', groupId: edit.groupId, patch: { name: 'x' } }, { type: 'removeGroup', groupId: edit.groupId }, { type: 'removeBlock', blockId: edit.blockId }])
      expect(changeSchema.parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
    await e.close();
  });

  it('tells why a paste of foreign text is refused, and changes nothing', async () => {
    const start = TEMPLATES.find((t) => t.id === 'mlp')!.project().graph;
    const e = await editor(start);
    await e.env.clipboard.write('just some text');
    await e.run('paste');
    expect(e.notices.at(-1)).toMatch(/does not hold layers copied from NeuralForge/);
    expect(e.ctx.graph()).toBe(start);
    await e.close();
  });

  it('runs commands from keydown, leaves text fields alone, and says why a disabled one did nothing', async () => {
    const e = await editor(TEMPLATES.find((t) => t.id === 'mlp')!.project().graph);
    const handler = shortcutHandler(COMMANDS, e.env);
    const keydown = (p: KeyPress, target: unknown = { tagName: 'DIV' }) => {
      let prevented = false;
      handler({ ...p, target, defaultPrevented: false, preventDefault: () => void (prevented = true) } as unknown as KeyboardEvent);
      return prevented;
    };
    const n = e.ctx.graph().nodes.length;
    expect(keydown(press('a', 'KeyA', { ctrlKey: true }), { tagName: 'INPUT' })).toBe(false); // select the field's text instead
    expect(e.ctx.selection()).toHaveLength(0);
    expect(keydown(press('a', 'KeyA', { ctrlKey: true }))).toBe(true);
    expect(e.ctx.selection()).toHaveLength(n);
    expect(keydown(press('Delete', 'Delete'), { tagName: 'TEXTAREA' })).toBe(false);
    expect(keydown(press('Delete', 'Delete'))).toBe(true);
    expect(e.ctx.graph().nodes).toHaveLength(0);
    expect(keydown(press('z', 'KeyZ', { ctrlKey: true }))).toBe(true);
    expect(e.ctx.graph().nodes).toHaveLength(n);
    expect(keydown(press('Delete', 'Delete'))).toBe(true); // the undo pruned nothing: all still selected
    expect(keydown(press('q', 'KeyQ'))).toBe(false); // no command: the key is not taken
    e.ctx.select([]);
    expect(keydown(press('Delete', 'Delete'))).toBe(true);
    expect(e.notices.at(-1)).toBe('Select one or more layers first.');
    expect(keydown(press('?', 'Slash', { shiftKey: true }))).toBe(true);
    expect(e.notices.at(-1)).toBe('help');
    await e.close();
  });
});
