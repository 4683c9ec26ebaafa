// Switching the page's view (src/editor/router.ts) from a test, the way a person does: with the
// nav bar. Panels of other views are mounted but display: none, so they cannot be clicked.
import type { Page } from 'playwright-core';
import type { Route } from '../../src/editor/router.js';

/** Opens `route`'s view through its nav link and waits until that view is the one shown. */
export async function showView(page: Page, route: Route): Promise<void> {
  await page.locator(`[data-testid=nav-bar] [data-route=${route}]`).click();
  await page.locator(`[data-testid=view-${route}]`).waitFor({ state: 'visible' });
}
