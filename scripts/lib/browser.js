// Headless Chromium for the ui's browser tests and README screenshots: Debian's package (or
// $RECPIPE_CHROMIUM) driven by puppeteer-core, which never downloads a browser of its own.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The browser binary to drive, or undefined when none is installed. */
export function findChromium(env = process.env) {
  if (env.RECPIPE_CHROMIUM) return existsSync(env.RECPIPE_CHROMIUM) ? env.RECPIPE_CHROMIUM : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Launches it headless; `--no-sandbox` because containers (and root) have no user namespaces.
 * Chromium puts its singleton socket in a folder under $TMPDIR and dies when that path passes the
 * ~104-byte socket limit (a long TMPDIR): it then gets a short private temp folder of its own,
 * removed when the browser goes.
 */
export async function launchBrowser(executablePath) {
  const { default: puppeteer } = await import('puppeteer-core');
  const short = tmpdir().length > 40 ? mkdtempSync('/tmp/rp-chromium-') : undefined;
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
      ...(short ? { env: { ...process.env, TMPDIR: short } } : {}),
    });
    if (short) browser.once('disconnected', () => rmSync(short, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    if (short) rmSync(short, { recursive: true, force: true });
    throw e;
  }
}
