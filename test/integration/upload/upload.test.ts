import { appendFileSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { expectStored as expectStoredIn } from '../../helpers/stored.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';

const MiB = 1024 * 1024;
let stack: TestStack;
let root: string;

beforeAll(async () => {
  stack = await startTestStack();
  root = tempDir('rp-sessions-');
});
afterAll(() => stack.stop());

const expectStored = (dir: string, session: string) => expectStoredIn(stack.raw, dir, session);

describe('recpipe upload against the local stack', () => {
  it('uploads a session bit-identically, multipart with many parts, and is a no-op the second time', async () => {
    const dir = await generateSession(root, { name: '20210301_100000', files: 2, bytesPerFile: 27 * MiB, seed: 3 });
    const before = readdirSync(dir).map((n) => `${n}:${statSync(join(dir, n)).mtimeMs}`);
    const first = await runCli(['--json', 'upload', dir, '--part-size-mib', '5'], stack.env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).sessions[0]).toMatchObject({ status: 'uploaded', files: 3 });
    await expectStored(dir, '20210301_100000');
    stack.s3.stats.reset();
    const again = await runCli(['upload', dir], stack.env);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already uploaded, nothing sent/);
    expect(stack.s3.stats.bytesReceived(stack.info.buckets.raw)).toBe(0);
    expect(readdirSync(dir).map((n) => `${n}:${statSync(join(dir, n)).mtimeMs}`)).toEqual(before);
  });

  it('archives a rig copy that differs from the committed session as revision 2; the first commit stays as it is', async () => {
    // Prepare: the same session name and file names, sizes and mtimes (as a `cp -p` of an
    // edited copy would have): only content differs.
    const r1 = tempDir('rp-a-');
    const r2 = tempDir('rp-b-');
    const a = await generateSession(r1, { name: '20210302_100000', files: 1, bytesPerFile: 64 * 1024, seed: 1 });
    const b = await generateSession(r2, { name: '20210302_100000', files: 1, bytesPerFile: 64 * 1024, seed: 2 });
    const t = new Date('2021-03-02T11:00:00Z');
    for (const n of readdirSync(a)) for (const d of [a, b]) utimesSync(join(d, n), t, t);
    expect((await runCli(['upload', a], stack.env)).code).toBe(0);
    const first = await stack.raw.get('raw/local-rig/20210302_100000/_manifest.json');
    const firstObjects = await stack.raw.list('raw/local-rig/20210302_100000/');
    // Act
    const later = await runCli(['upload', b], stack.env);
    // Assess: revision 2 holds b's bytes under attempt keys; revision 1 and its objects are untouched.
    expect(later.code).toBe(0);
    expect(later.out).toMatch(/session local-rig\/20210302_100000 revision 2 archived/);
    const rev2 = await expectStoredIn(stack.raw, b, '20210302_100000', 'local-rig', 2);
    expect(rev2.revision).toBe(2);
    expect(rev2.files.find((f) => f.name === 'data_00.bin')?.attempt).toMatch(/^[a-z0-9]{6,32}$/);
    expect((await stack.raw.get('raw/local-rig/20210302_100000/_manifest.json')).equals(first)).toBe(true);
    await expectStored(a, '20210302_100000');
    const after = await stack.raw.list('raw/local-rig/20210302_100000/');
    for (const o of firstObjects) expect(after.find((x) => x.key === o.key)?.etag).toBe(o.etag);
    // The same content again is no new revision.
    const again = await runCli(['upload', b], stack.env);
    expect(again.out).toMatch(/already uploaded, nothing sent/);
    expect(await stack.raw.head('raw/local-rig/20210302_100000/_revisions/3/_manifest.json')).toBeUndefined();
  });

  it('rejects an invalid folder before sending anything', async () => {
    const dir = await generateSession(root, { name: '20210229_100000', files: 1, bytesPerFile: 4096 });
    stack.s3.stats.reset();
    const r = await runCli(['upload', dir], stack.env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2021-02-29 is not a date.*\n.*nothing was uploaded|nothing was uploaded[\s\S]*2021-02-29 is not a date/);
    expect(stack.s3.stats.bytesReceived()).toBe(0);
  });

  it('stops without committing when a file changes after hashing', async () => {
    const dir = await generateSession(root, { name: '20210303_100000', files: 1, bytesPerFile: 64 * 1024 });
    // Make the file change between hashing and commit: delay the upload, append meanwhile.
    stack.s3.faults.clear();
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210303_100000/data' }, action: { type: 'delay', ms: 1000 }, times: 1 });
    const run = runCli(['upload', dir], stack.env);
    // The data PUT is held at the gateway once the rule is used up: the file was hashed by then.
    await waitFor(() => stack.s3.faults.pending === 0, 20_000, 'the data upload to reach the store');
    appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(8));
    const r = await run;
    expect(r.code).not.toBe(0);
    expect(await stack.raw.head('raw/local-rig/20210303_100000/_manifest.json')).toBeUndefined();
    // The writer has finished: the same folder uploads, its old bytes kept aside and unlisted.
    const again = await runCli(['upload', dir], stack.env);
    expect(again.code).toBe(0);
    const manifest = await expectStored(dir, '20210303_100000');
    expect(manifest.files.find((f) => f.name === 'data_00.bin')?.attempt).toMatch(/^[a-z0-9]{12}$/);
  });

  it('a file rewritten in place at the same size while it uploads is committed with its final bytes', async () => {
    // Prepare: the first run stores the data file's first version, then the rig rewrites it
    const dir = await generateSession(root, { name: '20210312_100000', files: 1, bytesPerFile: 11 * MiB, seed: 12 });
    const data = join(dir, 'data_00.bin');
    stack.s3.faults.add({
      match: { keyPrefix: 'raw/local-rig/20210312_100000/data', operation: 'CompleteMultipartUpload' },
      action: { type: 'delay', ms: 1000 },
      times: 1,
    });
    const run = runCli(['upload', dir, '--part-size-mib', '5'], { ...stack.env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' });
    await waitFor(() => stack.s3.faults.pending === 0, 20_000, 'the data completion to reach the store');
    const bytes = readFileSync(data);
    bytes.fill(0x5a, 0, 4096);
    writeFileSync(data, bytes);
    expect((await run).code).toBe(3);
    // Act
    const again = await runCli(['upload', dir, '--part-size-mib', '5'], { ...stack.env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' });
    // Assess
    expect(again.code).toBe(0);
    await expectStored(dir, '20210312_100000');
    // The first version's object stays (write-once) but is no gap: verify finds nothing to say.
    const verify = await runCli(['--json', 'verify', '--root', root, '--rig', 'local-rig', '--since', '2021-03-12'], stack.env);
    expect(JSON.parse(verify.out).findings).toEqual([]);
    // Processing reads the file at the key the manifest pins: its check against the manifest passes.
    const processed = await runCli(['process', '--session', 'local-rig/20210312_100000'], stack.env);
    expect(processed.code).toBe(0);
  });

  it('a first upload whose keys already hold other bytes (a journal lost) drops its first plan and sends those files to keys of their own', async () => {
    // Prepare: the first batch of a first upload asks for the session's state and is signed for
    // the plain keys; the state shows one of them taken.
    const dir = await generateSession(root, { name: '20210314_100000', files: 2, bytesPerFile: 6 * MiB, seed: 14 });
    await stack.raw.put('raw/local-rig/20210314_100000/data_01.bin', Buffer.alloc(1000, 1));
    // Act
    const r = await runCli(['upload', dir, '--part-size-mib', '5'], { ...stack.env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' });
    // Assess
    expect(r.code).toBe(0);
    const manifest = await expectStored(dir, '20210314_100000');
    expect(manifest.files.find((f) => f.name === 'data_01.bin')?.attempt).toMatch(/^[a-z0-9]{12}$/);
    expect(manifest.files.find((f) => f.name === 'data_00.bin')?.attempt).toBeUndefined();
    expect((await stack.raw.get('raw/local-rig/20210314_100000/data_01.bin')).length).toBe(1000);
  });

  it('resumes after kill -9 mid-upload, sending fewer bytes the second time', async () => {
    const dir = await generateSession(root, { name: '20210304_100000', files: 1, bytesPerFile: 40 * MiB, seed: 9 });
    const total = statSync(join(dir, 'data_00.bin')).size;
    stack.s3.stats.reset();
    // Slow every part down so the kill lands mid-file, after some parts are journaled.
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210304_100000/data_00.bin' }, action: { type: 'delay', ms: 300 } });
    const child = spawnCli(['upload', dir, '--part-size-mib', '5', '--concurrency', '2'], stack.env);
    const journal = join(stack.home, 'journal', 'local-rig', '20210304_100000.json');
    await waitFor(
      () => {
        try {
          return JSON.parse(readFileSync(journal, 'utf8')).files['data_00.bin'].doneParts.length >= 3;
        } catch {
          return false;
        }
      },
      30_000,
      'three journaled parts',
    );
    child.kill('SIGKILL');
    await exitOf(child);
    stack.s3.faults.clear();
    // Requests the killed client left held at the gateway may still be read: let the gateway
    // finish them so their bytes are not counted against the second run.
    await waitFor(() => stack.s3.stats.handling === 0, 30_000, "the killed run's requests to end at the gateway");
    const firstBytes = stack.s3.stats.bytesReceived(stack.info.buckets.raw);
    expect(await stack.raw.head('raw/local-rig/20210304_100000/_manifest.json')).toBeUndefined();
    stack.s3.stats.reset();
    const r = await runCli(['upload', dir, '--part-size-mib', '5'], stack.env);
    expect(r.code).toBe(0);
    const secondBytes = stack.s3.stats.bytesReceived(stack.info.buckets.raw);
    expect(firstBytes).toBeGreaterThan(0);
    expect(secondBytes).toBeLessThan(total - 10 * MiB);
    await expectStored(dir, '20210304_100000');
  });

  it('refreshes an expired token and keeps going', async () => {
    const short = await startTestStack({ tokenTtlSec: 1 });
    try {
      const dir = await generateSession(tempDir('rp-t-'), { name: '20210305_100000', files: 2, bytesPerFile: 64 * 1024 });
      short.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210305_100000/data_01' }, action: { type: 'delay', ms: 1500 }, times: 1 });
      const r = await runCli(['upload', dir], short.env);
      expect(r.code).toBe(0);
      expect(await short.raw.head('raw/local-rig/20210305_100000/_manifest.json')).toBeDefined();
    } finally {
      await short.stop();
    }
  });

  it('retries through a transient 503 and a dropped connection', async () => {
    const dir = await generateSession(root, { name: '20210306_100000', files: 1, bytesPerFile: 12 * MiB });
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210306_100000/' }, action: { type: 'status', status: 503, code: 'SlowDown' }, times: 2 });
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210306_100000/' }, action: { type: 'drop-after-bytes', bytes: 1000 }, times: 1 });
    const r = await runCli(['upload', dir, '--part-size-mib', '5'], stack.env);
    expect(r.code).toBe(0);
    await expectStored(dir, '20210306_100000');
  });

  it('on a failure stops sending: nothing is still uploading once the command has returned', async () => {
    const dir = await generateSession(root, { name: '20210309_100000', files: 2, bytesPerFile: 16 * MiB, seed: 4 });
    // data_00 is refused for good at its second part; data_01 is slow, so it is mid-file then.
    stack.s3.faults.add({
      match: { keyPrefix: 'raw/local-rig/20210309_100000/data_00.bin', partNumber: 2 },
      action: { type: 'status', status: 400, code: 'InvalidRequest' },
    });
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210309_100000/data_01.bin' }, action: { type: 'delay', ms: 150 } });
    stack.s3.stats.reset();
    const r = await runCli(['upload', dir, '--part-size-mib', '5', '--concurrency', '2'], { ...stack.env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' });
    stack.s3.faults.clear();
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/refused .*data_00\.bin.*InvalidRequest/);
    const atReturn = stack.s3.stats.bytesReceived(stack.info.buckets.raw);
    // Whatever the gateway was still handling at return (a part held by the delay) ends without
    // taking another byte: the client had stopped sending it.
    await waitFor(() => stack.s3.stats.handling === 0, 30_000, 'the gateway to finish the requests open at return');
    expect(stack.s3.stats.bytesReceived(stack.info.buckets.raw)).toBe(atReturn);
    expect(await stack.raw.head('raw/local-rig/20210309_100000/_manifest.json')).toBeUndefined();
  });

  it('succeeds when the answer to a successful completion is lost and the completion is retried', async () => {
    // Prepare: the store assembles the object, then the connection drops before its answer
    const dir = await generateSession(root, { name: '20210310_100000', files: 1, bytesPerFile: 11 * MiB, seed: 5 });
    stack.s3.faults.add({ match: { operation: 'CompleteMultipartUpload' }, action: { type: 'drop-response' }, times: 1 });
    // Act
    const r = await runCli(['upload', dir, '--part-size-mib', '5'], { ...stack.env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' });
    // Assess
    expect(stack.s3.faults.pending).toBe(0);
    expect(r.code).toBe(0);
    await expectStored(dir, '20210310_100000');
  });

  it('succeeds when the answer to a stored single PUT is lost and the PUT is retried', async () => {
    const dir = await generateSession(root, { name: '20210313_100000', files: 1, bytesPerFile: 64 * 1024, seed: 13 });
    stack.s3.faults.add({ match: { operation: 'PutObject', keyPrefix: 'raw/local-rig/20210313_100000/data' }, action: { type: 'drop-response' }, times: 1 });
    const r = await runCli(['upload', dir], stack.env);
    expect(stack.s3.faults.pending).toBe(0);
    expect(r.code).toBe(0);
    await expectStored(dir, '20210313_100000');
  });

  it('two uploads of one session at once: the second stops with exit 6 naming the first, which completes', async () => {
    // Prepare: hold the first run's data upload at the gateway, so it is mid-upload (and holds the lock)
    const dir = await generateSession(root, { name: '20210311_100000', files: 1, bytesPerFile: 64 * 1024, seed: 6 });
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210311_100000/data' }, action: { type: 'delay', ms: 1500 }, times: 1 });
    const first = runCli(['upload', dir], stack.env);
    await waitFor(() => stack.s3.faults.pending === 0, 20_000, 'the first upload to reach the store');
    // Act
    const second = await runCli(['upload', dir], stack.env);
    const firstDone = await first;
    const third = await runCli(['upload', dir], stack.env);
    // Assess
    expect(second.code).toBe(6);
    expect(second.err).toMatch(/another recpipe upload \(pid \d+, since .*\) is uploading local-rig\/20210311_100000; nothing was sent/);
    expect(firstDone.code).toBe(0);
    expect(third.code).toBe(0);
    expect(third.out).toMatch(/already uploaded/);
    await expectStored(dir, '20210311_100000');
  });

  it('fails clearly, naming the fix, when no stack is running', async () => {
    const dir = await generateSession(root, { name: '20210307_100000', files: 1, bytesPerFile: 4096 });
    const r = await runCli(['upload', dir], { RECPIPE_HOME: tempDir('rp-none-') });
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/no local stack is running[\s\S]*fix: start it/);
  });

  it('rejects hostile file names on the client before contacting the server', async () => {
    const dir = await generateSession(root, { name: '20210308_100000', files: 1, bytesPerFile: 4096 });
    writeFileSync(join(dir, 'evil\u0007name.bin'), 'x');
    stack.s3.stats.reset();
    const r = await runCli(['upload', dir], stack.env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/control character/);
    expect(stack.s3.stats.bytesReceived()).toBe(0);
    utimesSync(dir, new Date(), new Date());
  });
});
