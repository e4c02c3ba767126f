// README screenshots of each `recpipe ui` page, taken in headless Chromium against the embedded
// stack after the demo (the same fixture and browser helper as the browser tests).
//
//   npm run build && node scripts/screenshots.js [outdir]     (default docs/img)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, launchBrowser } from './lib/browser.js';
import { startUiFixture } from './lib/ui-fixture.js';

const out = process.argv[2] ?? 'docs/img';
const chromium = findChromium();
if (!chromium) {
  console.error('no Chromium found: apt-get install chromium, or set RECPIPE_CHROMIUM');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const fixture = await startUiFixture();
const browser = await launchBrowser(chromium);
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 720 });
  await page.goto(fixture.url);
  // The token URL answers a page that sets the cookie and moves on to the clean URL by itself.
  await page.waitForSelector('#sessions');
  // The pages live under the server's random base path: `${base}/sessions`.
  const base = new URL('.', fixture.url).href.replace(/\/$/, '');
  const shots = [
    ['ui-sessions.png', `/sessions?q=${encodeURIComponent('fatigue>=2')}&sort=fatigue&dir=desc`],
    ['ui-session.png', `/session?id=${encodeURIComponent('local-rig/20210203_141500')}`],
    ['ui-rigs.png', '/rigs'],
    ['ui-charts.png', '/charts?var=fatigue'],
  ];
  for (const [file, path] of shots) {
    await page.goto(base + path);
    if (path.startsWith('/charts')) await page.waitForSelector('body[data-charts-ready="true"]');
    await page.screenshot({ path: join(out, file), fullPage: !path.startsWith('/session?') });
    console.log(`wrote ${join(out, file)}`);
  }
} finally {
  await browser.close();
  await fixture.stop();
}
