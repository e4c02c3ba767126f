// README screenshots of each `recpipe ui` page, taken in headless Chromium against the embedded
// stack after the demo (the same fixture and browser helper as the browser tests).
//
//   npm run build && node scripts/screenshots.js [outdir]     (default docs/img)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, launchBrowser } from './lib/browser.js';
import { HELD, startUiFixture } from './lib/ui-fixture.js';

const out = process.argv[2] ?? 'docs/img';
const chromium = findChromium();
if (!chromium) {
  console.error('no Chromium found: apt-get install chromium, or set RECPIPE_CHROMIUM');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const fixture = await startUiFixture();
const browser = await launchBrowser(chromium);
const SNAPSHOT = 'fatigue-2plus-v1';
try {
  // A snapshot for the Snapshots pages: taken once processing is at rest (exit 6 while a session is busy).
  for (let i = 0; ; i++) {
    try {
      await fixture.run(['snapshot', 'create', SNAPSHOT, 'fatigue>=2']);
      break;
    } catch (e) {
      if (i >= 50 || !/exited 6/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 720 });
  await page.goto(fixture.url);
  // The token URL answers a page that sets the cookie and moves on to the clean URL by itself.
  await page.waitForSelector('#sessions');
  // The pages live under the server's random base path: `${base}/sessions`.
  const base = new URL('.', fixture.url).href.replace(/\/$/, '');
  // [file, path, whole page]: the Sessions list with an empty filter shows every session's state
  // (dead and held ones included); the session page is the held revision's.
  const shots = [
    ['ui-sessions.png', '/sessions', true],
    ['ui-session.png', `/session?id=${encodeURIComponent(`local-rig/${HELD.name}`)}`, false],
    ['ui-rigs.png', '/rigs', true],
    ['ui-charts.png', '/charts?var=fatigue', true],
    ['ui-snapshots.png', '/snapshots', true],
    ['ui-snapshot.png', `/snapshots?name=${SNAPSHOT}`, false],
  ];
  for (const [file, path, fullPage] of shots) {
    await page.goto(base + path);
    if (path.startsWith('/charts')) await page.waitForSelector('body[data-charts-ready="true"]');
    await page.screenshot({ path: join(out, file), fullPage });
    console.log(`wrote ${join(out, file)}`);
  }
} finally {
  await browser.close();
  await fixture.stop();
}
