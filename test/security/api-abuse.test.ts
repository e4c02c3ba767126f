/**
 * Issue 26, replayed against the embedded stack's real gateway and API with valid rig keys (the
 * stack `recpipe local up` runs: processing on, logs in files). Each attack must be refused, and
 * the store and the logs must hold afterwards what they should.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createAppLogger, logFiles } from '../../src/adapters/log/log-files.js';
import { createRigKey } from '../../src/backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from '../../src/local/stores/file-key-store.js';
import type { LedgerEntry } from '../../src/core/catalog/types.js';
import { FairLimiter } from '../../src/core/fair-limiter.js';
import { mapLimit } from '../../src/core/map-limit.js';
import { catalogSessionKey, ledgerKey, manifestKey } from '../../src/core/layout.js';
import { LOCAL_RIG, localDir, localRigKeyPath } from '../../src/local/stack-info.js';
import { startLocalProcessing } from '../../src/features/process/local-consumer.js';
import { runCli, waitForAsync } from '../helpers/cli.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { onCleanup, tempDir } from '../helpers/tmp.js';
import { manifestFor } from '../unit/backend/fixture.js';
import { rawKeys, sha256b64 as sha, stackApi } from './stack-api.js';

const DECODABLE = { numeric: { fatigue: 3, channels: 1 }, text: { hardware_model: 'X', sample_format: 'int16le' } };
const META = Buffer.from('channels: 1\nsample_format: int16le\n');
/** Small limits, so a test can watch them hold without sending 20,000 HEADs. */
const checks = new FairLimiter({ max: 3, perKey: 2, maxPendingPerKey: 1_000 });

let stack: TestStack;
let api: ReturnType<typeof stackApi>;
let keyA: string;
let keyB: string;
beforeAll(async () => {
  const home = tempDir('rp-abuse-');
  const logger = createAppLogger({ home, level: 'info' });
  onCleanup(() => logger.close());
  stack = await startTestStack({ home, logger, commitChecks: checks, processing: true, startProcessing: startLocalProcessing });
  api = stackApi(stack);
  keyA = readFileSync(localRigKeyPath(stack.home), 'utf8').trim();
  keyB = (await createRigKey(new FileKeyStore(keysFilePath(localDir(stack.home))), 'rig-b', new Date())).apiKey;
}, 60_000);

const ledger = async (rig: string, session: string): Promise<LedgerEntry | undefined> => {
  const key = ledgerKey({ rig, session }, 'default', '1');
  return (await stack.lake.head(key)) ? (JSON.parse((await stack.lake.get(key)).toString()) as LedgerEntry) : undefined;
};
const settled = async (rig: string, session: string) => {
  await waitForAsync(async () => ['done', 'incomplete', 'dead'].includes((await ledger(rig, session))?.state ?? ''), 30_000, `processing of ${session}`);
  await stack.idle();
  return (await ledger(rig, session))!;
};
/** The event names of a JSON-lines log, in order. */
const events = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { event: string }).event);
const verify = async () => {
  const r = await runCli(['--json', 'verify', '--grace-hours', '0'], stack.env);
  return { code: r.code, findings: JSON.parse(r.out).findings as { category: string; sessionId?: string; key?: string; message: string }[] };
};

describe('commit checks are bounded and fair (item 4)', () => {
  it("four large commits from one rig stay within the limits and do not hold back another rig's commit", async () => {
    // Prepare: rig A's session holds 100 files, one of them shorter than its manifest says, so
    // every commit HEADs all 100 and is then refused; rig B has a small session ready.
    const [tokenA, tokenB] = [await api.login(keyA), await api.login(keyB)];
    const big: Record<string, Buffer> = { 'meta.txt': META };
    for (let i = 0; i < 99; i++) big[`f${String(i).padStart(3, '0')}.bin`] = Buffer.alloc(2, i);
    await Promise.all(
      Object.entries(big).map(([name, body]) => stack.raw.put(`raw/${LOCAL_RIG}/20210401_100000/${name}`, name === 'f098.bin' ? body.subarray(0, 1) : body)),
    );
    const small = { 'meta.txt': META, 'b.bin': Buffer.alloc(4, 9) };
    for (const [name, body] of Object.entries(small)) expect(await api.putFile(tokenB, '20210401_110000', name, body)).toBe(200);
    await stack.idle();
    const manifestA = manifestFor(LOCAL_RIG, '20210401_100000', big, DECODABLE);

    // Act: four commits at once from A; once they are queued, one small commit from B.
    let doneA = 0;
    const commitsA = [0, 1, 2, 3].map(() => api.call('/v1/commit', tokenA, { manifest: manifestA }).finally(() => doneA++));
    while ((checks.stats().pending[LOCAL_RIG] ?? 0) < 150) await checks.changed();
    const b = await api.call('/v1/commit', tokenB, { manifest: manifestFor('rig-b', '20210401_110000', small, DECODABLE) });
    const aPendingWhenBAnswered = checks.stats().pending[LOCAL_RIG] ?? 0;
    const doneAWhenBAnswered = doneA;
    const answersA = await Promise.all(commitsA);

    // Assess: B was served while A's checks were still queued; A's were refused, none with a 5xx;
    // never more HEADs in flight than the limits allow.
    expect(b.status).toBe(200);
    expect(b.json.status).toBe('committed');
    expect(doneAWhenBAnswered).toBe(0);
    expect(aPendingWhenBAnswered).toBeGreaterThan(100);
    expect(answersA.map((r) => [r.status, r.json.error.code])).toEqual(Array(4).fill([400, 'integrity']));
    expect(answersA[0].json.error.message).toContain('f098.bin (stored 1, manifest 2)');
    expect(checks.stats()).toMatchObject({ running: 0, pending: {} });
    expect(checks.stats().peak).toBeLessThanOrEqual(3);
    expect(checks.stats().peakPerKey).toBeLessThanOrEqual(2);
    expect(await stack.raw.head(manifestKey({ rig: LOCAL_RIG, session: '20210401_100000' }))).toBeUndefined();
    expect(await stack.raw.head(manifestKey({ rig: 'rig-b', session: '20210401_110000' }))).toBeDefined();
    await settled('rig-b', '20210401_110000');
  }, 90_000);

  it("a commit larger than the rig's share of checks is refused whole and retryable, before any file is looked at", async () => {
    const token = await api.login(keyA);
    const files: Record<string, Buffer> = { 'meta.txt': META };
    for (let i = 0; i < 4_999; i++) files[`f${String(i).padStart(4, '0')}.bin`] = Buffer.alloc(1);
    await stack.idle();
    const before = { heads: stack.s3.stats.requests.get('HeadObject') ?? 0, peak: checks.stats().peak, raw: await rawKeys(stack) };
    const r = await api.call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, '20210402_100000', files) });
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(r.json.error.message).toContain(`too many checks in progress for ${LOCAL_RIG}`);
    // One HEAD only: whether the session's manifest exists, asked before any check.
    expect((stack.s3.stats.requests.get('HeadObject') ?? 0) - before.heads).toBeLessThanOrEqual(1);
    expect(checks.stats().pending).toEqual({});
    expect(await rawKeys(stack)).toEqual(before.raw);
  }, 60_000);
});

describe("the manifest's SHA-256 is held for every file (item 5)", () => {
  it('a wrong sha256 for a CRC32C PUT and for a multipart file: nothing is registered, the session is flagged, status and verify report it', async () => {
    // Prepare: bytes S3 verifies only by CRC32C (a CRC32C PUT, a multipart upload), listed with
    // another SHA-256 than theirs.
    const token = await api.login(keyA);
    const session = '20210403_100000';
    const files = { 'meta.txt': META, 'crc.bin': Buffer.alloc(64, 1), 'multi.bin': Buffer.alloc(96, 2) };
    expect(await api.putFile(token, session, 'meta.txt', files['meta.txt'])).toBe(200);
    expect(await api.putFile(token, session, 'crc.bin', files['crc.bin'], 'CRC32C')).toBe(200);
    await api.multipartFile(token, session, 'multi.bin', files['multi.bin']);
    const manifest = manifestFor(LOCAL_RIG, session, files, DECODABLE);
    const claimed = 'f'.repeat(64);
    for (const f of manifest.files) if (f.name !== 'meta.txt') f.sha256 = claimed;

    // Act: commit (S3 kept no whole-file SHA-256 to compare with), then let processing run.
    const commit = await api.call('/v1/commit', token, { manifest });
    const entry = await settled(LOCAL_RIG, session);

    // Assess: flagged before anything was registered; status and verify name both files.
    expect(commit.status).toBe(200);
    expect(entry.state).toBe('incomplete');
    expect(entry.integrity?.map((i) => [i.file, i.manifest_sha256])).toEqual([
      ['crc.bin', claimed],
      ['multi.bin', claimed],
    ]);
    expect(await stack.lake.head(catalogSessionKey({ rig: LOCAL_RIG, session }))).toBeUndefined();
    expect(await stack.lake.list(`processed/default/1/${LOCAL_RIG}/${session}/`)).toEqual([]);
    const status = JSON.parse((await runCli(['--json', 'status'], stack.env)).out);
    expect(status.attention).toContainEqual(
      expect.objectContaining({ sessionId: `${LOCAL_RIG}/${session}`, kind: 'incomplete', integrity: ['crc.bin', 'multi.bin'] }),
    );
    const v = await verify();
    expect(v.code).not.toBe(0);
    const mine = v.findings.filter((f) => f.sessionId === `${LOCAL_RIG}/${session}`);
    expect(mine.map((f) => [f.category, f.key?.split('/').pop()]).sort()).toEqual([
      ['incomplete', undefined],
      ['raw_checksum_mismatch', 'crc.bin'],
      ['raw_checksum_mismatch', 'multi.bin'],
    ]);
    // verify's scrub re-hashes the object itself (issue 27); without it, the ledger's flag says the same.
    expect(mine.find((f) => f.key?.endsWith('crc.bin'))!.message).toContain(`${claimed} in the manifest`);
  }, 90_000);
});

describe('a PUT URL signed before the commit (item 6)', () => {
  it('can still store an unlisted file, which is never catalogued or processed, and verify reports it', async () => {
    // Prepare: a URL for a file the manifest will not list, signed while the session is open.
    const token = await api.login(keyA);
    const session = '20210404_100000';
    const files = { 'meta.txt': META, 'data.bin': Buffer.alloc(8, 3) };
    const late = Buffer.alloc(8, 4);
    const url = await api.call('/v1/presign', token, { session, file: 'late.bin', size: late.length, checksum: { algorithm: 'SHA256', value: sha(late) } });
    for (const [name, body] of Object.entries(files)) expect(await api.putFile(token, session, name, body)).toBe(200);
    expect((await api.call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files, DECODABLE) })).status).toBe(200);

    // Act: use the URL after the commit (S3 cannot tell; it is a valid signature for a free key).
    const stored = await api.put(url.json, late);
    const entry = await settled(LOCAL_RIG, session);

    // Assess: stored (a URL cannot be recalled), but no catalog row, output or ledger entry counts
    // it, the session's state call does not list it as committed content, and verify reports it.
    expect(stored.status).toBe(200);
    expect(entry.state).toBe('done');
    const row = JSON.parse((await stack.lake.get(catalogSessionKey({ rig: LOCAL_RIG, session }))).toString());
    expect(row).toMatchObject({ file_count: 2 });
    const outputs = (await stack.lake.list(`processed/default/1/${LOCAL_RIG}/${session}/`)).map((o) => o.key.split('/').pop());
    expect(outputs.sort()).toEqual(['_provenance.json', 'data.npy', 'data.stats.json']);
    const provenance = JSON.parse((await stack.lake.get(`processed/default/1/${LOCAL_RIG}/${session}/_provenance.json`)).toString());
    expect(provenance.inputs.map((i: { name: string }) => i.name).sort()).toEqual(['data.bin', 'meta.txt']);
    const state = await api.call(`/v1/sessions/${session}`, token);
    expect(state.json.manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(['data.bin', 'meta.txt']);
    const v = await verify();
    expect(v.code).not.toBe(0);
    expect(v.findings).toContainEqual(expect.objectContaining({ category: 'orphan_raw_object', key: `raw/${LOCAL_RIG}/${session}/late.bin` }));
  }, 90_000);
});

describe('client events cannot wipe the audit trail (item 8)', () => {
  it("85 event requests in a burst leave every earlier audit line in place, and only the rig's budget reaches the event log", async () => {
    // Prepare: audit lines of each kind: a key enrolled, a multipart upload, a commit.
    expect((await runCli(['--json', 'keys', 'create', '--rig', 'rig-c'], stack.env)).code).toBe(0);
    const token = await api.login(keyA);
    const session = '20210405_100000';
    const files = { 'meta.txt': META, 'big.bin': Buffer.alloc(128, 5) };
    expect(await api.putFile(token, session, 'meta.txt', files['meta.txt'])).toBe(200);
    await api.multipartFile(token, session, 'big.bin', files['big.bin']);
    expect((await api.call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files, DECODABLE) })).json.status).toBe('committed');
    const logs = logFiles(stack.home);
    const expected = ['keys.created', 'api.multipart.started', 'api.multipart.completed', 'api.commit'];
    await waitForAsync(async () => expected.every((e) => events(logs.audit).includes(e)), 10_000, 'the audit lines');
    const auditBefore = readFileSync(logs.audit, 'utf8');

    // Act: 85 requests of 100 declared events of about 7 KB each (about 60 MB), 8 at a time.
    const flood = (i: number) => ({
      time: new Date().toISOString(),
      level: 'warn',
      event: 'session.warning',
      message: `${i} ${'x'.repeat(7000)}`,
      data: { session },
    });
    const batch = { events: Array.from({ length: 100 }, (_, i) => flood(i)) };
    const answers = await mapLimit(Array.from({ length: 85 }), 8, () => api.call('/v1/events', token, batch));
    const accepted = answers.reduce((n, a) => n + a.json.accepted, 0);
    const eventLog = () => readdirSync(logs.dir).filter((n) => n.startsWith('recpipe-client-events'));
    const floodLines = () =>
      eventLog()
        .flatMap((f) => events(join(logs.dir, f)))
        .filter((e) => e === 'client.session.warning').length;
    await waitForAsync(async () => floodLines() === accepted, 10_000, 'the accepted events in their log');

    // Assess: every earlier audit line is where it was, in the audit log and in the main log;
    // the event log holds the rig's budget (1 MiB), not 60 MB.
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(200);
    expect(answers.reduce((n, a) => n + (a.json.dropped ?? 0), 0)).toBe(8500 - accepted);
    expect(readFileSync(logs.audit, 'utf8').startsWith(auditBefore)).toBe(true);
    for (const e of expected) expect(events(logs.main)).toContain(e);
    expect(eventLog().reduce((n, f) => n + statSync(join(logs.dir, f)).size, 0)).toBeLessThan(2 * 1024 * 1024);
    expect(events(logs.main).filter((e) => e === 'client.session.warning')).toEqual([]);
  }, 90_000);
});

describe('low-severity gaps (item 9)', () => {
  it('a 500,000-deep JSON body is a non-retryable 400, and the API keeps serving', async () => {
    const token = await api.login(keyA);
    const before = await rawKeys(stack);
    const deep = `{"session":${'['.repeat(500_000)}${']'.repeat(500_000)},"file":"a.bin"}`;
    const r = await api.call('/v1/presign', token, undefined, deep);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'usage', retryable: false });
    expect(r.json.error.message).toContain('nests deeper than 32 levels');
    expect((await api.call('/v1/sessions/20210406_100000', token)).status).toBe(200);
    expect(await rawKeys(stack)).toEqual(before);
  });

  it('an event session id is matched whole: a path through another rig is refused, and nothing is logged', async () => {
    // Rig B's key (its event budget untouched by the flood above), aiming at rig A's sessions.
    const token = await api.login(keyB);
    const ev = (sessionId: string) => ({
      events: [{ time: new Date().toISOString(), level: 'info', event: 'session.gone', sessionId, data: { session: 'probe' } }],
    });
    const logs = logFiles(stack.home);
    const r1 = await api.call('/v1/events', token, ev(`rig-b/../${LOCAL_RIG}/20210228_161221`));
    const r2 = await api.call('/v1/events', token, ev(`${LOCAL_RIG}/20210228_161221`));
    const r3 = await api.call('/v1/events', token, ev('rig-b/20210228_161221/../../x'));
    expect([r1.status, r2.status, r3.status]).toEqual([400, 403, 400]);
    expect(r1.json.error.retryable).toBe(false);
    // A valid event sent after them: once it is in the log, anything accepted before it is too.
    const mark = await api.call('/v1/events', token, {
      events: [{ time: new Date().toISOString(), level: 'info', event: 'rig.heartbeat', data: { queued: 0 } }],
    });
    expect(mark.json).toEqual({ accepted: 1 });
    const logged = () => events(logs.clientEvents);
    await waitForAsync(async () => logged().includes('client.rig.heartbeat'), 10_000, 'the marker event');
    expect(logged()).not.toContain('client.session.gone');
  });

  it('file names with bidi, line-break and zero-width characters are refused with the code point, and nothing is signed or stored', async () => {
    const token = await api.login(keyA);
    const before = await rawKeys(stack);
    const session = '20210407_100000';
    const presign = await api.call('/v1/presign', token, {
      session,
      file: 'report\u202Eslx.bin',
      size: 1,
      checksum: { algorithm: 'SHA256', value: sha(Buffer.alloc(1)) },
    });
    const start = await api.call('/v1/multipart/start', token, { session, file: 'two\u2028lines.bin', size: 1 });
    const files = { 'meta.txt': META, 'zero\u200Bwidth.bin': Buffer.alloc(1) };
    const commit = await api.call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files) });
    expect([presign.status, start.status, commit.status]).toEqual([400, 400, 400]);
    expect(presign.json.error.message).toContain('U+202E (RIGHT-TO-LEFT OVERRIDE)');
    expect(start.json.error.message).toContain('U+2028 (LINE SEPARATOR)');
    expect(commit.json.error.message).toContain('U+200B (ZERO WIDTH SPACE)');
    for (const r of [presign, start, commit]) expect(r.json.error.message).not.toMatch(/[\u202E\u2028\u200B]/);
    expect(await rawKeys(stack)).toEqual(before);
  });
});
