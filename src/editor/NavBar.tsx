// The page's navigation: one link per view (real links, so middle-click, back and forward work),
// the current one marked with aria-current.
import { For } from 'solid-js';
import { ROUTES, routeHash, type Route } from './router.js';

const LABEL: Record<Route, string> = {
  projects: 'Projects',
  editor: 'Editor',
  runs: 'Runs',
  datasets: 'Datasets',
  export: 'Export',
  storage: 'Storage',
};

/** Older tests and bookmarks know some views by the ids of the buttons that used to open them. */
const LEGACY_TESTID: Partial<Record<Route, string>> = { projects: 'show-projects', storage: 'show-storage' };

/** `disabled` views are shown but not linked (e.g. Storage when nothing can be saved). */
export function NavBar(props: { route: Route; disabled?: readonly Route[] }) {
  return (
    <nav class="nav-bar" aria-label="Views" data-testid="nav-bar">
      <For each={ROUTES}>
        {(r) => {
          const off = () => props.disabled?.includes(r) ?? false;
          return (
            <a
              class="nav-link"
              href={off() ? undefined : routeHash(r)}
              aria-current={props.route === r ? 'page' : undefined}
              aria-disabled={off() ? 'true' : undefined}
              data-testid={LEGACY_TESTID[r] ?? `nav-${r}`}
              data-route={r}
            >
              {LABEL[r]}
            </a>
          );
        }}
      </For>
    </nav>
  );
}
