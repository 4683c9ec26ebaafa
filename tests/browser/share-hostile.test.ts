// Hostile share links through real page loads (issue 8 §5): each shows the error panel with the
// decoder's message, leaves IndexedDB and localStorage exactly as they were, and pollutes nothing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LIMITS } from '../../src/engine/project/parse.js';
import { CURRENT_VERSION } from '../../src/engine/project/types.js';
import { storageSnapshot, type StorageSnapshot } from '../share/browser-storage-snapshot.js';
import { b64url, linkFromJsonText, manyNodesText, projectText, zeroBomb } from '../share/share-fixtures.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';
import { openTab, readProjects, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
let context: BrowserContext;
let appUrl: string;
let before: StorageSnapshot;

/** A page of the app's origin that runs none of the app's code, to read storage. */
async function snapshot(): Promise<StorageSnapshot> {
  const page = await context.newPage();
  const blank = `${appUrl}/__share-snapshot.html`;
  await page.route(blank, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>snapshot</title>' }));
  await page.goto(blank);
  const s = await storageSnapshot(page);
  await page.close();
  return s;
}

beforeAll(async () => {
  appUrl = inject('appUrl');
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 800 } });
  // A person's own project exists before the hostile links arrive.
  const { page } = await openTab(context, appUrl);
  await waitFor('the first project stored', async () => (await readProjects(page)).length === 1, 30_000);
  await page.close();
  before = await snapshot();
  expect(Object.keys(before.databases)).toContain('neuralforge');
});
afterAll(async () => {
  await chrome?.close();
});

const cases: { name: string; fragment: () => string; code: string; message: RegExp }[] = [
  { name: 'a 64 KiB fragment', fragment: () => `#share=1.${'A'.repeat(64 * 1024)}`, code: 'too-large', message: /^share link: fragment: the link is 65,545 characters long; links over 32,768 are refused unread$/ },
  { name: 'a link to 1 GiB of zeros', fragment: () => `#share=1.${b64url(zeroBomb(1024))}`, code: 'too-large', message: /refused unread/ },
  { name: 'a bomb under the length cap (16 MiB of zeros)', fragment: () => `#share=1.${b64url(zeroBomb(16))}`, code: 'too-large-decompressed', message: /^share link: payload: decompressed size exceeds 4 MiB at byte 4,194,305$/ },
  { name: 'invalid compression', fragment: () => `#share=1.${b64url(Uint8Array.from([0xff, 0xfe, 0, 0x12, 0x34]))}`, code: 'bad-compression', message: /not valid deflate/ },
  {
    name: 'a prototype-pollution payload',
    fragment: () => linkFromJsonText(`{"project":${projectText('{"__proto__":{"polluted":"yes"}}')}}`),
    code: 'hostile',
    message: /^share link: project\.graph\.nodes\[1\]\.params\.__proto__: the key "__proto__" is not allowed$/,
  },
  { name: 'a future link version', fragment: () => linkFromJsonText(`{"project":${projectText()}}`, 2), code: 'newer-version', message: /share link version 2/ },
  { name: 'a future project version', fragment: () => linkFromJsonText(`{"project":${projectText('{}', CURRENT_VERSION + 1)}}`), code: 'newer-version', message: new RegExp(`format version ${CURRENT_VERSION + 1}`) },
  { name: 'node counts over the limits', fragment: () => linkFromJsonText(`{"project":${manyNodesText(LIMITS.maxNodes + 1)}}`), code: 'invalid', message: new RegExp(`project\\.graph\\.nodes: .*${LIMITS.maxNodes}`) },
];

describe('hostile share links in a real page', () => {
  for (const c of cases) {
    it(`${c.name}: error panel, nothing stored, nothing polluted`, async () => {
      const page: Page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${appUrl}/${c.fragment()}`);
      const panel = page.getByTestId('share-error');
      await panel.waitFor({ timeout: 20_000 });
      expect(await panel.getAttribute('data-code')).toBe(c.code);
      expect(await page.getByTestId('share-error-message').textContent()).toMatch(c.message);
      // No editor, no workspace: the page never opened the person's projects.
      expect(await page.getByTestId('editor').count()).toBe(0);
      expect(await page.evaluate(() => (({}) as Record<string, unknown>)['polluted'] === undefined && !('polluted' in Object.prototype))).toBe(true);
      if (c.code === 'hostile') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, 'share-hostile-link.png') });
      }
      await page.close();
      expect(errors).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });
  }
});
