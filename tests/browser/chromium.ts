// A real Chromium with WebGPU on SwiftShader, without downloading a browser: Debian's
// /usr/bin/chromium when installed, else the one packed inside @sparticuz/chromium (a
// devDependency; executablePath() unpacks it to /tmp). Flags from docs FIELD-NOTES.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The packaged Chromium derives navigator.language from the environment's locale, which can
  // be an invalid tag such as "en-US@posix" (Intl then throws); pin a valid one.
  '--lang=en-US',
]; // plus --headless, which Playwright adds for headless: true

/**
 * NEURALFORGE_CHROMIUM picks one: a path to a Chromium binary, or "sparticuz" to use the
 * packaged one even where Debian's is installed (to test that path).
 */
export async function chromiumPath(): Promise<{ path: string; source: string }> {
  const override = process.env['NEURALFORGE_CHROMIUM'];
  if (override && override !== 'sparticuz') return { path: override, source: override };
  if (!override && existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: 'debian' };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  return { path: await sparticuz.executablePath(), source: '@sparticuz/chromium' };
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  readonly source: string;
  close(): Promise<void>;
}

/**
 * Playwright gives every non-persistent launch a fresh temporary profile (and refuses
 * --user-data-dir), so no shader cache or storage carries over between runs.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LaunchedBrowser> {
  const { path, source } = await chromiumPath();
  const browser = await chromium.launch({ executablePath: path, args: [...CHROMIUM_FLAGS, ...extraArgs], headless: true });
  return { browser, source, close: () => browser.close() };
}
