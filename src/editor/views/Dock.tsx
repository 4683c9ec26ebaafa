// The editor's right-hand dock: tabs (Properties | Training | Layers) over one panel at a time.
// Every panel stays mounted, only hidden, so a tab keeps its scroll position and state.
import { For, type JSX } from 'solid-js';

export interface DockTab {
  /** Also names the tab's test ids: `dock-tab-<id>` (the tab) and `dock-<id>` (its panel). */
  readonly id: string;
  readonly label: string;
  /** The dock's width in CSS pixels while this tab is open: charts and the layer table need more than properties; the canvas gives up the room. */
  readonly width: number;
  readonly render: () => JSX.Element;
}

export interface DockProps {
  readonly tabs: readonly DockTab[];
  readonly selected: string;
  readonly onSelect: (id: string) => void;
}

export function Dock(props: DockProps) {
  return (
    <div class="dock" data-testid="dock" data-tab={props.selected}>
      <div class="dock-tabs" role="tablist" aria-label="Side panels">
        <For each={props.tabs}>
          {(t) => (
            <button
              type="button"
              role="tab"
              class="dock-tab"
              id={`dock-tab-${t.id}`}
              aria-selected={props.selected === t.id}
              aria-controls={`dock-${t.id}`}
              data-testid={`dock-tab-${t.id}`}
              onClick={() => props.onSelect(t.id)}
            >
              {t.label}
            </button>
          )}
        </For>
      </div>
      <For each={props.tabs}>
        {(t) => (
          <div class="dock-panel" role="tabpanel" id={`dock-${t.id}`} aria-labelledby={`dock-tab-${t.id}`} data-testid={`dock-${t.id}`} hidden={props.selected !== t.id}>
            {t.render()}
          </div>
        )}
      </For>
    </div>
  );
}

/** The dock's width with `selected` open (the first tab's when `selected` names none). */
export const dockWidth = (tabs: readonly DockTab[], selected: string): number => (tabs.find((t) => t.id === selected) ?? tabs[0])?.width ?? 280;
