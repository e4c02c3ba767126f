/**
 * Opening the browser without putting the token on anyone's command line (issue 26): the URL
 * with the token goes into a 0600 HTML file in a 0700 folder of $RECPIPE_HOME, and the launcher
 * (xdg-open, open, explorer) is given only that file's path; the page sends the browser on to the
 * URL. Process command lines are readable by every local user (/proc/<pid>/cmdline), files in a
 * private folder are not. Jupyter opens its server the same way.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensurePrivateDir } from '../../local/private-dir.js';
import { html } from './html.js';

export interface RedirectFile {
  /** The file's own `file://` URL: what the launcher is given. */
  url: string;
  path: string;
  /** Deletes the file (when the server stops; the token dies with the server anyway). */
  remove(): void;
}

/** Writes the redirect page for `target` (the URL with the token) under `dir`, private to the user. */
export function writeRedirectFile(dir: string, target: string): RedirectFile {
  const path = join(ensurePrivateDir(dir), `open-${process.pid}.html`);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="0;url=${target}" />
        <title>recpipe ui</title>
      </head>
      <body>
        <p>Opening the recpipe web view. If nothing happens, <a href="${target}">open it here</a>.</p>
      </body>
    </html> `.text;
  // A file left by an earlier run of this pid may have another owner's mode: start afresh.
  rmSync(path, { force: true });
  writeFileSync(path, page, { mode: 0o600, flag: 'wx' });
  return { url: pathToFileURL(path).href, path, remove: () => rmSync(path, { force: true }) };
}
