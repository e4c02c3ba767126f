/**
 * Issue 26 item 7 and the web view's half of item 9: the `recpipe ui` cookie must reach no other
 * page served on 127.0.0.1 (browsers send cookies to every port of a host), and the token must
 * appear on no process's command line. The cookie rules are the browser's own: real Chromium
 * (Debian's package, through puppeteer-core); skipped, saying why, only where none is installed.
 */
import { readFileSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { findChromium, launchBrowser } from '../../scripts/lib/browser.js';
import { startUiServer, type UiServer } from '../../src/features/ui/server.js';
import { writeRedirectFile } from '../../src/features/ui/redirect-file.js';
import type { UiSource } from '../../src/features/ui/source.js';
import { exitOf, spawnCli, waitFor } from '../helpers/cli.js';
import { startTestStack } from '../helpers/stack.js';
import { onCleanup, tempDir } from '../helpers/tmp.js';

const chromium = findChromium();
const describeIfChromium = chromium ? describe : describe.skip;
if (!chromium) console.warn('SKIPPED recpipe ui cookie tests: no Chromium found (apt-get install chromium, or set RECPIPE_CHROMIUM)');

const source: UiSource = {
  sessions: async (terms) => ({ terms, sessions: [], variables: [], numeric: [], totals: { sessions: 0, files: 0, bytes: 0 }, states: {}, unprocessed: [] }),
  session: async () => ({ ledger: [], outputs: [], findings: [], warnings: [] }),
  rigs: async () => ({ rigs: [], now: '2026-01-01T00:00:00Z', eventSource: 'test' }),
  snapshots: async () => [],
  snapshot: async () => undefined,
};

/** Another site on 127.0.0.1 (any local program can serve one): it records what browsers send it. */
async function otherSite(): Promise<{ server: Server; origin: string; seen: { path: string; headers: IncomingHttpHeaders }[] }> {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>another local page</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describeIfChromium('the web view cookie in a real browser (item 7)', () => {
  let browser: Browser;
  let ui: UiServer;
  beforeAll(async () => {
    [browser, ui] = await Promise.all([launchBrowser(chromium!), startUiServer({ source, host: '127.0.0.1', port: 0 })]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
  });

  it('opening the redirect file lands on the view with its cookie, which no page on another 127.0.0.1 port is sent', async () => {
    // Prepare: the browser opens the view the way `recpipe ui` has it opened.
    const file = writeRedirectFile(tempDir('rp-ui-home-'), ui.url);
    const other = await otherSite();
    const page = await browser.newPage();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.goto(file.url)]);
    await page.waitForFunction(`location.href === ${JSON.stringify(`${ui.base}sessions`)}`);
    expect(await page.title()).toContain('Sessions');
    const cookies = await browser.cookies();
    const cookie = cookies.find((c) => c.name === `recpipe_ui_${ui.port}`)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: new URL(ui.base).pathname });

    // Act: the same browser visits another page on 127.0.0.1: its root, the view's page names.
    for (const path of ['/', '/sessions', '/static/ui.js', '/session?id=x']) await page.goto(other.origin + path);

    // Assess: not one request to the other port carried the cookie or the token.
    expect(other.seen.map((s) => s.path)).toEqual(expect.arrayContaining(['/', '/sessions', '/static/ui.js', '/session?id=x']));
    for (const s of other.seen) expect(`${s.headers.cookie ?? ''}`).not.toContain(cookie.value);
    // The base path is what keeps it: under it, the browser would send the cookie anywhere on the
    // host. It is 128 random bits, never in a Referer (no-referrer) and never on a command line.
    const under = new URL(ui.base).pathname + 'x';
    await page.goto(other.origin + under);
    // (the browser may ask that site for its /favicon.ico after the page: look at the page's request)
    expect(other.seen.find((s) => s.path === under)!.headers.cookie).toContain(cookie.value);
    expect(new URL(ui.base).pathname).toMatch(/^\/[A-Za-z0-9_-]{22}\/$/);
    await page.close();
  }, 60_000);
});

describe('recpipe ui opens the browser without the token on a command line (items 7, 9)', () => {
  it("gives the launcher a private redirect file's path, and deletes the file when it stops", async () => {
    // Prepare: a running stack, and an xdg-open on PATH that records its own argv and its parent's.
    const stack = await startTestStack();
    const bin = tempDir('rp-fake-open-');
    const argvFile = join(bin, 'argv');
    writeFileSync(
      join(bin, 'xdg-open'),
      `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > "${argvFile}.tmp"\ntr '\\0' ' ' < /proc/$PPID/cmdline >> "${argvFile}.tmp"\nmv "${argvFile}.tmp" "${argvFile}"\n`,
    );
    chmodSync(join(bin, 'xdg-open'), 0o755);

    // Act
    const child = spawnCli(['--json', 'ui', '--port', '0'], { ...stack.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    await waitFor(() => existsSync(argvFile) && child.output().includes('"url"'), 30_000, 'the launcher to run');
    const { url } = JSON.parse(
      child
        .output()
        .split('\n')
        .find((l) => l.includes('"url"'))!,
    ) as { url: string };
    const token = new URL(url).searchParams.get('token')!;
    const argv = readFileSync(argvFile, 'utf8');
    const target = argv.split('\n')[1];
    const redirect = fileURLToPath(target);
    const content = readFileSync(redirect, 'utf8');
    const modes = [statSync(redirect).mode & 0o777, statSync(join(stack.home, 'ui')).mode & 0o777];
    child.kill('SIGINT');
    const code = await exitOf(child);

    // Assess: neither the launcher's argv nor recpipe's holds the token; the file does, private.
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(argv).not.toContain(token);
    expect(target).toMatch(/^file:\/\/.*\/ui\/open-\d+\.html$/);
    expect(redirect.startsWith(join(stack.home, 'ui'))).toBe(true);
    expect(modes).toEqual([0o600, 0o700]);
    expect(content).toContain(`content="0;url=${url.replace(/&/g, '&amp;')}"`);
    expect(code).toBe(0);
    expect(existsSync(redirect)).toBe(false);
    await stack.stop();
  }, 60_000);
});
