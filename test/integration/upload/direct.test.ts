/**
 * `recpipe upload --direct`: the same engine and the same API code, run in the CLI's process
 * over its own S3 credentials (here the local stack's), never through the API server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { expectStored as expectStoredIn } from '../../helpers/stored.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';

const MiB = 1024 * 1024;
const RIG = 'rig-direct';
let stack: TestStack;
let root: string;
/** A stand-in API server that counts requests and refuses every key. */
let trap: Server;
let trapRequests = 0;
/** The stack's env with the API URL pointed at the trap. */
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  root = tempDir('rp-direct-');
  trap = createServer((_req, res) => {
    trapRequests++;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"auth","message":"trap: not the API to use","retryable":false}}');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  env = { ...stack.env, RECPIPE_API_URL: `http://127.0.0.1:${(trap.address() as AddressInfo).port}` };
});
afterAll(async () => {
  await new Promise((resolve) => trap.close(resolve));
  await stack.stop();
});
beforeEach(() => {
  trapRequests = 0;
});

async function expectStored(dir: string, session: string) {
  const manifest = await expectStoredIn(stack.raw, dir, session, RIG);
  expect(manifest).toMatchObject({ rig: RIG, sessionId: `${RIG}/${session}`, client: { transport: 'direct' } });
}

describe('recpipe upload --direct', () => {
  it('uploads bit-identically (multipart) without the API server, and is a no-op the second time', async () => {
    const dir = await generateSession(root, { name: '20210401_100000', files: 2, bytesPerFile: 12 * MiB, seed: 5 });
    const direct = { ...env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' };
    const first = await runCli(['--json', 'upload', '--direct', '--rig', RIG, dir, '--part-size-mib', '5'], direct);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).sessions[0]).toMatchObject({ sessionId: `${RIG}/20210401_100000`, status: 'uploaded', files: 3 });
    await expectStored(dir, '20210401_100000');
    const journal = JSON.parse(readFileSync(join(stack.home, 'journal', RIG, '20210401_100000.json'), 'utf8'));
    expect(journal.files['data_00.bin']).toMatchObject({ partSize: 5 * MiB, done: true });
    expect(journal.files['data_00.bin'].doneParts).toHaveLength(3);
    stack.s3.stats.reset();
    const again = await runCli(['upload', '--direct', '--rig', RIG, dir], direct);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already uploaded, nothing sent/);
    expect(stack.s3.stats.bytesReceived(stack.info.buckets.raw)).toBe(0);
    expect(trapRequests).toBe(0);
    // The trap is the API this env points at: without --direct it is what answers.
    const viaApi = await runCli(['upload', dir], env);
    expect(viaApi.code).toBe(1);
    expect(viaApi.err).toMatch(/trap: not the API to use/);
    expect(trapRequests).toBeGreaterThan(0);
  });

  it('archives a different rig copy under the same name as revision 2 and overwrites nothing', async () => {
    const a = await generateSession(tempDir('rp-da-'), { name: '20210402_100000', files: 1, bytesPerFile: 64 * 1024, seed: 1 });
    const b = await generateSession(tempDir('rp-db-'), { name: '20210402_100000', files: 1, bytesPerFile: 64 * 1024, seed: 2 });
    const t = new Date('2021-04-02T11:00:00Z');
    for (const n of readdirSync(a)) for (const d of [a, b]) utimesSync(join(d, n), t, t);
    expect((await runCli(['upload', '--direct', '--rig', RIG, a], env)).code).toBe(0);
    const first = await stack.raw.get(`raw/${RIG}/20210402_100000/_manifest.json`);
    const later = await runCli(['upload', '--direct', '--rig', RIG, b], env);
    expect(later.code).toBe(0);
    expect(later.out).toMatch(/revision 2 archived/);
    await expectStored(a, '20210402_100000');
    expect((await stack.raw.get(`raw/${RIG}/20210402_100000/_manifest.json`)).equals(first)).toBe(true);
    await expectStoredIn(stack.raw, b, '20210402_100000', RIG, 2);
    expect(trapRequests).toBe(0);
  });

  it('refuses a hostile file name before sending anything', async () => {
    const dir = await generateSession(root, { name: '20210403_100000', files: 1, bytesPerFile: 4096 });
    writeFileSync(join(dir, '..\\..\\other-rig\\x.bin'), 'x');
    stack.s3.stats.reset();
    const r = await runCli(['upload', '--direct', '--rig', RIG, dir], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/path separator[\s\S]*nothing was uploaded|nothing was uploaded[\s\S]*path separator/);
    expect(stack.s3.stats.bytesReceived()).toBe(0);
    expect(await stack.raw.list(`raw/${RIG}/20210403_100000/`)).toEqual([]);
  });

  it('needs a valid --rig, and says how to give one', async () => {
    const dir = await generateSession(root, { name: '20210404_100000', files: 1, bytesPerFile: 4096 });
    const none = await runCli(['upload', '--direct', dir], env);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--direct needs the rig[\s\S]*--rig NAME/);
    const bad = await runCli(['upload', '--direct', '--rig', '../rig', dir], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: --rig must be a rig name: .*, got "..\/rig"\n$/);
    expect(trapRequests).toBe(0);
  });
});
