// Opening a tab of the editor's dock (Properties | Training | Layers) from a test, the way a
// person does: the Editor link in the nav bar, then the tab. Training lives in the editor view.
import type { Page } from 'playwright-core';
import { showView } from './views.js';

export type DockTabId = 'properties' | 'training' | 'layers';

/** Opens the editor view and its dock tab `tab`, and waits until that tab's panel is shown. */
export async function showDockTab(page: Page, tab: DockTabId): Promise<void> {
  await showView(page, 'editor');
  await page.getByTestId(`dock-tab-${tab}`).click();
  await page.getByTestId(`dock-${tab}`).waitFor({ state: 'visible' });
}

/** The editor's Training tab: Start/Pause/Stop, the run's settings, its log and live charts. */
export const showTraining = (page: Page): Promise<void> => showDockTab(page, 'training');
