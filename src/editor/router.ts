// A tiny hash router: the page's view (#/projects, #/editor, …) as a Solid signal over
// location.hash, so back and forward switch views and a reload keeps the one that was open.
import { createSignal, type Accessor } from 'solid-js';

/** Every view of the page, in the order the nav bar shows them. */
export const ROUTES = ['projects', 'editor', 'runs', 'datasets', 'export', 'storage'] as const;
export type Route = (typeof ROUTES)[number];

/** The view a bare or unknown address opens: the editor, since the page always has a project open. */
export const DEFAULT_ROUTE: Route = 'editor';

const isRoute = (s: string): s is Route => (ROUTES as readonly string[]).includes(s);

/**
 * The route a hash names, or `fallback` for anything else.
 * @example parseRoute('#/runs') === 'runs'; parseRoute('#/nope') === 'editor'
 */
export function parseRoute(hash: string, fallback: Route = DEFAULT_ROUTE): Route {
  // '#/runs', '#runs', '#/runs/' and '#/runs?x' all name the runs view.
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isRoute(name) ? name : fallback;
}

/** True for a share link's fragment (`#share=…`), which is no route and must not be replaced. */
export const isShareHash = (hash: string): boolean => hash.startsWith('#share=');

/** The hash that names `route`: `#/runs`. */
export const routeHash = (route: Route): string => `#/${route}`;

/** The parts of `window` the router uses, so Node tests can hand it a fake. */
export interface HashWindow {
  readonly location: { hash: string };
  readonly history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

export interface HashRouter {
  readonly route: Accessor<Route>;
  /** Opens `route` as a new history entry (a no-op when it is already open). */
  go(route: Route): void;
  /** Stops listening to the window. */
  dispose(): void;
}

/**
 * The route signal over `win`'s hash. A bare or unknown hash is replaced (not pushed) by the
 * default's, so Back does not return to an address that only redirects forward again.
 */
export function createHashRouter(win: HashWindow, fallback: Route = DEFAULT_ROUTE): HashRouter {
  const read = () => parseRoute(win.location.hash, fallback);
  const normalise = () => {
    // A share link (`#share=1.…`) is the page's to read (src/editor/share/): leave it in the address bar.
    if (isShareHash(win.location.hash)) return;
    const canonical = routeHash(read());
    if (win.location.hash !== canonical) win.history.replaceState(null, '', canonical);
  };
  normalise();
  const [route, setRoute] = createSignal<Route>(read());
  const onChange = () => {
    normalise();
    setRoute(read());
  };
  win.addEventListener('hashchange', onChange);
  return {
    route,
    go(next) {
      if (next === route()) return;
      // Setting the hash pushes a history entry and fires hashchange, which sets the signal.
      win.location.hash = routeHash(next);
      setRoute(read());
    },
    dispose: () => win.removeEventListener('hashchange', onChange),
  };
}
