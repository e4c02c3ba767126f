/**
 * Starts `recpipe ui` on the configured profile: checks the bind address and that the profile's
 * stores are reachable in principle, then serves the pages from a ProfileSource.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isIP } from 'node:net';
import type { Config } from '../../config/schema.js';
import { RecpipeError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { ProfileSource, type UiPorts } from './profile-source.js';
import { startUiServer, type UiServer } from './server.js';
import { writeRedirectFile } from './redirect-file.js';

export interface UiOptions {
  host: string;
  port: number;
  /** Required to bind anything but loopback: the pages show the whole catalog to whoever connects. */
  allowRemote: boolean;
  logger: Logger;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Refuses a bind that other machines could reach unless the user asked for it explicitly. */
export function checkBind(host: string, port: number, allowRemote: boolean): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RecpipeError('usage', `--port ${port} is not a port`, { hint: 'give 1-65535, or 0 for a free one' });
  if (host !== 'localhost' && isIP(host) === 0)
    throw new RecpipeError('usage', `--host ${JSON.stringify(host)} is not an IP address`, { hint: 'give an address such as 127.0.0.1 or 10.0.0.5' });
  if (!isLoopback(host) && !allowRemote) {
    throw new RecpipeError('usage', `refusing to serve the catalog on ${host}, which other machines can reach`, {
      hint: 'keep the default loopback address and use an SSH tunnel (ssh -L 8765:127.0.0.1:8765 host), or add --allow-remote if you mean it',
    });
  }
}

/**
 * A set of the profile's services the pages read through, opened per read and closed after it;
 * `endpoints()` says where the stores are, and throws, with its fix, when they cannot be (the
 * local stack is not running).
 */
export type OpenUiServices = () => UiPorts & { endpoints(): unknown; close(): void };

export async function startUi(config: Config, open: OpenUiServices, o: UiOptions): Promise<UiServer> {
  checkBind(o.host, o.port, o.allowRemote);
  // Fails now, with its fix, when the local stack is not running, rather than on every page.
  const probe = open();
  try {
    probe.endpoints();
  } finally {
    probe.close();
  }
  return startUiServer({
    source: new ProfileSource(config, open),
    host: o.host,
    port: o.port,
    anyHost: o.allowRemote,
    logger: o.logger.child({ component: 'ui' }),
  });
}

/**
 * Opens the view in the desktop's browser through a redirect file (redirect-file.ts), so the
 * launcher's command line holds a file path, never the token. On a headless machine this quietly
 * does nothing. `close()` deletes the file.
 */
export function openBrowser(ui: Pick<UiServer, 'url'>, home: string, logger: Logger, command = launcher()): { close(): void } {
  const file = writeRedirectFile(join(home, 'ui'), ui.url);
  try {
    const child = spawn(command, [file.url], { detached: true, stdio: 'ignore' });
    child.on('error', (e) => logger.log('info', 'ui.open_failed', { error: e.message }));
    child.unref();
  } catch (e) {
    logger.log('info', 'ui.open_failed', { error: (e as Error).message });
  }
  return { close: () => file.remove() };
}

const launcher = () => (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
