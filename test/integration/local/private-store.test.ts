/**
 * The embedded stack's store is reachable only through the verifying gateway, and its data is
 * private to the user (issue 13 item 8; docs/aws-parity.md).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

/** TCP ports this process listens on (Linux: /proc/net/tcp{,6} rows in LISTEN whose inode is one of our fds). */
function ownListeningPorts(): Set<number> {
  const inodes = new Set(
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter(Boolean),
  );
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9])) ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

const mode = (p: string) => statSync(p).mode & 0o777;
const linux = existsSync('/proc/net/tcp') ? it : it.skip;

describe('embedded store: gateway-only, private', () => {
  let stack: TestStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    if (stack) rmSync(stack.home, { recursive: true, force: true });
    stack = undefined;
  });

  linux('listens on TCP only for the gateway and the API: s3rver has no port to bypass the signature checks', async () => {
    // Prepare
    const before = ownListeningPorts();
    // Act
    stack = await startTestStack();
    const opened = [...ownListeningPorts()].filter((p) => !before.has(p)).sort();
    // Assess
    expect(opened).toEqual([Number(new URL(stack.info.api).port), Number(new URL(stack.info.s3).port)].sort());
    expect((await stack.raw.put('raw/r/20210101_000000/a.bin', 'x', { ifNoneMatch: true })).size).toBe(1);
  });

  it('keeps RECPIPE_HOME and every store directory 0700 and the credentials 0600, even if they existed wider', async () => {
    // Prepare: a home and store folder created world-readable beforehand
    const wide = tempDir('rp-wide-');
    mkdirSync(join(wide, 'local', 's3'), { recursive: true, mode: 0o755 });
    for (const d of [wide, join(wide, 'local'), join(wide, 'local', 's3')]) chmodSync(d, 0o755);
    stack = await startTestStack({ home: wide });
    await stack.raw.put('raw/r/20210101_000000/a.bin', 'x', { ifNoneMatch: true });
    const { home } = stack;
    // Assess
    const dirs = [home, join(home, 'local'), join(home, 'local', 's3'), ...['s3rver', 'tmp', 'checksums', 'parts'].map((d) => join(home, 'local', 's3', d))];
    expect(dirs.map((d) => [d, mode(d)])).toEqual(dirs.map((d) => [d, 0o700]));
    const creds = readdirSync(join(home, 'local')).filter((f) => /cred/i.test(f));
    expect(creds.length).toBeGreaterThan(0);
    for (const f of creds) expect(mode(join(home, 'local', f))).toBe(0o600);
  });
});
