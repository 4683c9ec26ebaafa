// `npx tsx scripts/build-icons.ts`: renders public/icons/icon.svg into the PNG icons the web app
// manifest lists (192 and 512 px, plus a 512 px maskable one), in headless Chromium, so no image
// library is needed. Run once when the SVG changes and commit the PNGs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../tests/browser/chromium.js';

const dir = join(import.meta.dirname, '../public/icons');

/** One PNG to write: its size, and whether it is maskable (full-bleed background, glyph in the safe zone). */
interface IconSpec {
  readonly file: string;
  readonly size: number;
  readonly maskable: boolean;
}

export const ICONS: readonly IconSpec[] = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
];

/** The icon's background colour (the SVG's rounded square), used to fill a maskable icon's corners. */
const BACKGROUND = '#1d2330';

/**
 * A page that shows the SVG at `size` px. A maskable icon is cropped by the platform to any
 * shape inside its central 80 % circle: the square is filled edge to edge and the artwork
 * shrunk to 80 %, so the rounded corners never show and the glyph stays whole.
 */
function pageFor(svg: string, spec: IconSpec): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const inner = spec.maskable ? Math.round(spec.size * 0.8) : spec.size;
  const bg = spec.maskable ? BACKGROUND : 'transparent';
  return `<!doctype html><html><body style="margin:0;background:${bg};width:${spec.size}px;height:${spec.size}px;display:grid;place-items:center">
<img src="${src}" width="${inner}" height="${inner}"></body></html>`;
}

async function main(): Promise<void> {
  const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
  const chrome = await launchChromium();
  try {
    for (const spec of ICONS) {
      const page = await chrome.browser.newPage({ viewport: { width: spec.size, height: spec.size } });
      await page.setContent(pageFor(svg, spec));
      await page.waitForFunction(() => document.images[0]?.complete === true);
      const png = await page.screenshot({ omitBackground: !spec.maskable, clip: { x: 0, y: 0, width: spec.size, height: spec.size } });
      writeFileSync(join(dir, spec.file), png);
      console.log(`${spec.file}: ${spec.size}×${spec.size}, ${png.length} bytes`);
      await page.close();
    }
  } finally {
    await chrome.close();
  }
}

await main();
