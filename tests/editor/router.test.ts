// The hash router: route names parse and print, anything else opens the editor, and the route
// signal follows hashchange (what back and forward fire) over a fake window.
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createHashRouter, DEFAULT_ROUTE, isShareHash, parseRoute, routeHash, ROUTES, type HashWindow } from '../../src/editor/router.js';
import { encodeShare } from '../../src/engine/share/index.js';
import { findTemplate } from '../../src/engine/templates/index.js';

/** A window whose history is a list of hashes, like a browser's for one page. */
function fakeWindow(initial: string) {
  const entries = [initial];
  let index = 0;
  const listeners = new Set<() => void>();
  const fire = () => listeners.forEach((l) => l());
  const location = {
    get hash() { return entries[index]!; },
    // Assigning a new hash pushes an entry and fires hashchange (asynchronously in browsers; at once here).
    set hash(h: string) {
      const next = h.startsWith('#') ? h : `#${h}`;
      if (next === entries[index]) return;
      entries.splice(index + 1, Infinity, next);
      index++;
      fire();
    },
  };
  const win: HashWindow & { back(): void; forward(): void; entries: string[] } = {
    location,
    history: { replaceState: (_d, _u, url) => void (entries[index] = url) },
    addEventListener: (_t, l) => void listeners.add(l),
    removeEventListener: (_t, l) => void listeners.delete(l),
    back() { index--; fire(); },
    forward() { index++; fire(); },
    entries,
  };
  return win;
}

describe('parseRoute and routeHash', () => {
  it('round-trips every route', () => {
    for (const r of ROUTES) expect(parseRoute(routeHash(r))).toBe(r);
    expect(routeHash('runs')).toBe('#/runs');
  });
  it('accepts the forms people type', () => {
    expect(parseRoute('#runs')).toBe('runs');
    expect(parseRoute('#/export/')).toBe('export');
    expect(parseRoute('#/datasets?x=1')).toBe('datasets');
  });
  it('opens the editor for a bare, unknown or wrong-case hash', () => {
    expect(DEFAULT_ROUTE).toBe('editor');
    for (const h of ['', '#', '#/', '#/nope', '#/Runs', '#/constructor', '#/__proto__']) expect(parseRoute(h)).toBe('editor');
    expect(parseRoute('#/nope', 'projects')).toBe('projects');
  });
});

describe('createHashRouter', () => {
  it('replaces a bare or unknown hash with the default, without a new history entry', () => {
    const win = fakeWindow('#/whatever');
    createRoot((dispose) => {
      const router = createHashRouter(win);
      expect(router.route()).toBe('editor');
      expect(win.entries).toEqual(['#/editor']);
      dispose();
    });
  });
  it('keeps the view a reload starts on', () => {
    createRoot((dispose) => {
      expect(createHashRouter(fakeWindow('#/runs')).route()).toBe('runs');
      dispose();
    });
  });
  it('pushes one entry per navigation and follows back and forward', () => {
    const win = fakeWindow('#/editor');
    createRoot((dispose) => {
      const router = createHashRouter(win);
      router.go('runs');
      router.go('runs'); // already open: no second entry
      router.go('export');
      expect(win.entries).toEqual(['#/editor', '#/runs', '#/export']);
      expect(router.route()).toBe('export');
      win.back();
      expect(router.route()).toBe('runs');
      win.back();
      expect(router.route()).toBe('editor');
      win.forward();
      expect(router.route()).toBe('runs');
      // A link to an unknown hash lands on the editor and the address is corrected in place.
      win.location.hash = '#/gone';
      expect(router.route()).toBe('editor');
      expect(win.entries.at(-1)).toBe('#/editor');
      router.dispose();
      win.location.hash = '#/storage';
      expect(router.route(), 'a disposed router no longer listens').toBe('editor');
      dispose();
    });
  });
  it('leaves a share link in the address bar (the share view reads it), at load and when pasted', () => {
    const link = encodeShare(findTemplate('mlp')!.project());
    if (!link.ok) throw new Error('mlp does not fit a link');
    expect(isShareHash(link.fragment)).toBe(true);
    expect(isShareHash('#/share=1.x')).toBe(false);
    const win = fakeWindow(link.fragment);
    createRoot((dispose) => {
      const router = createHashRouter(win);
      expect(win.entries).toEqual([link.fragment]);
      expect(router.route()).toBe('editor');
      win.location.hash = '#/runs';
      win.location.hash = '#share=1.broken';
      expect(win.entries).toEqual([link.fragment, '#/runs', '#share=1.broken']);
      dispose();
    });
  });
});
