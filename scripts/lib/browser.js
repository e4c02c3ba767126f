// Headless Chromium for the ui's browser tests and README screenshots: Debian's package (or
// $RECPIPE_CHROMIUM) driven by puppeteer-core, which never downloads a browser of its own.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The browser binary to drive, or undefined when none is installed. */
export function findChromium(env = process.env) {
  if (env.RECPIPE_CHROMIUM) return existsSync(env.RECPIPE_CHROMIUM) ? env.RECPIPE_CHROMIUM : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Launches it headless; `--no-sandbox` because containers (and root) have no user namespaces. */
export async function launchBrowser(executablePath) {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  });
}
