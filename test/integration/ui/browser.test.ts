/**
 * `recpipe ui` in headless Chromium (Debian's package via puppeteer-core) against the embedded
 * stack after the demo. Skips, saying why, only where no Chromium is installed.
 */
import type { Browser, Page } from 'puppeteer-core';
import { findChromium, launchBrowser } from '../../../scripts/lib/browser.js';
import { DEAD, HELD, HOSTILE, RETIRED_RIG, startUiFixture } from '../../../scripts/lib/ui-fixture.js';

const chromium = findChromium();
const describeIfChromium = chromium ? describe : describe.skip;
if (!chromium) console.warn('SKIPPED recpipe ui browser tests: no Chromium found (apt-get install chromium, or set RECPIPE_CHROMIUM)');

/** A table row as the page callbacks see it (the tests compile without the DOM library). */
type Row = { children: ArrayLike<{ textContent: string | null }> };

const HOSTILE_ID = `local-rig/${HOSTILE.name}`;
const DEAD_ID = `local-rig/${DEAD.name}`;
const HELD_ID = `local-rig/${HELD.name}`;

describeIfChromium('recpipe ui in a browser', () => {
  let fixture: Awaited<ReturnType<typeof startUiFixture>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  const rowIds = () => page.$$eval('#sessions tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-session')));

  beforeAll(async () => {
    // One after the other: a browser that fails to start must not leave the fixture unstopped.
    fixture = await startUiFixture();
    browser = await launchBrowser(chromium!);
    // The pages live under the server's random base path (the cookie's scope): `${base}/sessions`.
    base = new URL('.', fixture.url).href.replace(/\/$/, '');
    await browser.defaultBrowserContext().overridePermissions(new URL(fixture.url).origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    page = await browser.newPage();
    // The token URL answers a page that sets the cookie and moves on to the clean URL by itself.
    await page.goto(fixture.url);
    await page.waitForSelector('#sessions');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.stop();
  });

  it('narrows the table with the filter box and offers the matching pull command', async () => {
    // With no filter every session is listed, the one without outputs (dead) last.
    expect(await rowIds()).toEqual([
      'local-rig/20210201_093000',
      'local-rig/20210203_141500',
      'local-rig/20210208_101000',
      'local-rig/20210215_160000',
      HOSTILE_ID,
      DEAD_ID,
    ]);
    await page.type('#q', 'fatigue>=3 hardware_model=NX-200');
    await Promise.all([page.waitForNavigation(), page.click('form.filter button[type=submit]')]);
    expect(await rowIds()).toEqual(['local-rig/20210203_141500', 'local-rig/20210208_101000']);
    expect(await page.$eval('#pull-cmd', (e) => (e as unknown as { value: string }).value)).toBe(
      "recpipe pull 'fatigue>=3' hardware_model=NX-200 --dest ./data",
    );
    await page.click('#copy-pull');
    await page.waitForFunction("document.getElementById('copy-state').textContent !== ''");
    expect(await page.$eval('#copy-state', (e) => e.textContent)).toBe('copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe("recpipe pull 'fatigue>=3' hardware_model=NX-200 --dest ./data");
  });

  it('sorts by a session variable when its header is clicked', async () => {
    await page.goto(`${base}/sessions`);
    await Promise.all([page.waitForNavigation(), page.click('#sessions th a[href*="sort=fatigue"]')]);
    const fatigue = async () => {
      const col = await page.$$eval('#sessions thead th', (ths) => ths.findIndex((th) => th.textContent?.startsWith('fatigue')));
      // Sessions without outputs (the dead one) have no variables and stay last.
      return page.$$eval('#sessions tbody tr:not(.unprocessed)', (trs, i) => trs.map((tr) => Number(tr.children[i].textContent)), col);
    };
    expect(await fatigue()).toEqual([1, 2, 3, 4, 5]);
    await Promise.all([page.waitForNavigation(), page.click('#sessions th a[href*="sort=fatigue"]')]);
    expect(await fatigue()).toEqual([5, 4, 3, 2, 1]);
  });

  it('shows variables that contain markup as text, and runs none of it', async () => {
    await page.goto(`${base}/sessions`);
    const text = await page.$eval(`tr[data-session="${HOSTILE_ID}"]`, (tr) => tr.textContent);
    expect(text).toContain(HOSTILE.hardware_model);
    expect(text).toContain(HOSTILE.notes);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
  });

  it('shows a session page with its raw files, ledger, outputs and provenance', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`a[href="session?id=${encodeURIComponent(HOSTILE_ID)}"]`)]);
    const files = await page.$$eval('#raw-files tbody tr', (trs) => trs.map((tr) => Array.from((tr as unknown as Row).children, (td) => td.textContent)));
    expect(files.map((f) => f[0])).toEqual(['data_00.bin', 'data_01.bin', 'metadata.txt']);
    for (const f of files) expect(f[3]).toMatch(/^[0-9a-f]{64}$/);
    const ledger = await page.$$eval('#ledger tbody tr', (trs) => trs.map((tr) => Array.from((tr as unknown as Row).children, (td) => td.textContent)));
    expect(ledger).toHaveLength(1);
    expect(ledger[0].slice(0, 4)).toEqual(['default', '1', 'done', '1']);
    expect(await page.$$eval('#outputs tbody tr', (trs) => trs.length)).toBeGreaterThan(1);
    expect(await page.$eval('#provenance', (e) => e.textContent)).toContain(`"session_id": "${HOSTILE_ID}"`);
    expect(await page.$eval('#findings', (e) => e.textContent)).toContain('nothing wrong');
    expect(await page.evaluate('window.__xss')).toBeUndefined();
  });

  it('shows each rig with its heartbeat, last upload and invalid sessions from its events', async () => {
    await page.goto(`${base}/rigs`);
    const cells = await page.$eval('#rigs tr[data-rig="local-rig"]', (tr) => Array.from((tr as unknown as Row).children, (td) => td.textContent ?? ''));
    expect(cells[0]).toBe('local-rig');
    expect(cells[1]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cells[2]).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The dead session was registered before its processor failed.
    expect(cells[3]).toBe('6');
    expect(cells[5]).toMatch(/^2\s*20210229_161221, 20210302_090000$/);
  });

  it('lists a dead session and a held revision with their state, reasons and next steps, as the CLI gives them', async () => {
    // The state filter narrows the list to the sessions that need a person.
    await page.goto(`${base}/sessions?state=attention`);
    expect(await rowIds()).toEqual([HELD_ID, DEAD_ID]);
    const state = (id: string) =>
      page.$eval(`tr[data-session="${id}"] td.state`, (td) => ({ text: td.textContent?.trim(), tone: td.querySelector('span')?.className }));
    expect(await state(DEAD_ID)).toEqual({ text: 'dead after 3 attempts', tone: 'tone-failing' });
    expect(await state(HELD_ID)).toEqual({ text: expect.stringMatching(/^done\s+revision 2 held$/), tone: 'tone-attention' });

    // The dead session's page says why and what to do, before anything else.
    await Promise.all([page.waitForNavigation(), page.click(`a[href="session?id=${encodeURIComponent(DEAD_ID)}"]`)]);
    expect(await page.$eval('#state h2', (e) => e.textContent)).toContain('dead after 3 attempts');
    const reasons = await page.$eval('#reasons', (e) => e.textContent ?? '');
    expect(reasons).toContain(DEAD.error);
    expect(reasons).toContain(`next: fix the cause named in the error, then recpipe process --session ${DEAD_ID}`);
    expect(await page.$eval('main', (e) => (e.firstElementChild?.nextElementSibling?.nextElementSibling as { id?: string } | null)?.id)).toBe('state');

    // The held revision: revision 1 is served; the raw files table shows its hashes, the revision table both.
    await page.goto(`${base}/session?id=${encodeURIComponent(HELD_ID)}`);
    expect(await page.$eval('#reasons', (e) => e.textContent)).toContain('revision 2 changes archived bytes and is held for review; revision 1 is served');
    const held = await page.$eval('#revisions tr[data-revision="2"]', (tr) => ({
      text: tr.textContent ?? '',
      hashes: Array.from(tr.querySelectorAll('.changed code'), (c) => (c as { textContent: string | null }).textContent),
    }));
    expect(held.text).toContain('held for review');
    expect(held.text).toContain(`recpipe revisions accept ${HELD_ID} 2`);
    expect(held.hashes).toHaveLength(2);
    expect(held.hashes[0]).not.toBe(held.hashes[1]);
    const raw = await page.$$eval('#raw-files tbody tr', (trs) => trs.map((tr) => Array.from((tr as unknown as Row).children, (td) => td.textContent)));
    expect(raw.find((f) => f[0] === HELD.file)?.[3]).toBe(held.hashes[0]);
    expect(await page.$eval('h2:has(+ #raw-files)', (e) => e.textContent)).toBe('Raw files (revision 1)');

    // Rigs: the failing session, the held one, and the revoked key.
    await page.goto(`${base}/rigs`);
    const rig = await page.$eval('#rigs tr[data-rig="local-rig"]', (tr) => Array.from((tr as unknown as Row).children, (td) => td.textContent ?? ''));
    expect(rig[2]).toMatch(/ago$/);
    expect(rig[7]).toMatch(new RegExp(`^1\\s*${DEAD.name}$`));
    expect(rig[8]).toMatch(new RegExp(`^1\\s*${HELD.name}$`));
    expect(await page.$eval(`#rigs tr[data-rig="${RETIRED_RIG}"] td.keys`, (td) => td.textContent)).toMatch(/^0 active, 1 revoked\s*\w+ revoked \d{4}-/);
  });

  it('draws the charts for the filtered sessions', async () => {
    await page.goto(`${base}/charts?q=${encodeURIComponent('hardware_model~NX')}&var=fatigue`);
    await page.waitForSelector('body[data-charts-ready="true"]');
    const painted = await page.$$eval('canvas', (canvases) =>
      canvases.map((el) => {
        const c = el as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
        };
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
        return n;
      }),
    );
    expect(painted).toHaveLength(2);
    for (const n of painted) expect(n).toBeGreaterThan(1000);
    const data = JSON.parse(await page.$eval('#chart-data', (e) => e.textContent ?? ''));
    expect(data.histogram).toEqual({ labels: ['2', '3', '4'], counts: [1, 1, 1] });
  });
});
