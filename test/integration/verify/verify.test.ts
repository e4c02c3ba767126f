import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateMultipartUploadCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { runCli } from '../../helpers/cli.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { catalogSessionKey, ledgerKey, manifestKey } from '../../../src/core/layout.js';
import { tempDir } from '../../helpers/tmp.js';
import { flipStoredByte } from '../../helpers/damage.js';

const ref = { rig: 'local-rig', session: '20210501_100000' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A stack holding one session, uploaded and processed: a clean pipeline. */
async function cleanPipeline(): Promise<{ stack: TestStack; root: string; del: (bucket: string, key: string) => Promise<void> }> {
  const stack = await startTestStack();
  const root = tempDir('rp-verify-');
  const dir = await generateSession(root, { name: ref.session, files: 2, bytesPerFile: 20_000 });
  expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
  const done = await processSession(ref, {
    raw: stack.raw,
    lake: stack.lake,
    processor: decodeProcessor,
    pipeline: 'default',
    pipelineVersion: '1',
    logger: nullLogger,
  });
  expect(done.status).toBe('done');
  const client = createS3Client({ region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials });
  const del = async (bucket: string, key: string) => {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  };
  const stop = stack.stop.bind(stack);
  stack.stop = async () => {
    client.destroy();
    await stop();
  };
  return { stack, root, del };
}

async function verify(stack: TestStack, extra: string[] = []) {
  const r = await runCli(['--json', 'verify', '--grace-hours', '0', ...extra], stack.env);
  const report = JSON.parse(r.out);
  // A failed run prints an error, not a report: say which instead of "counts is undefined".
  if (!report.counts) throw new Error(`verify gave no report (exit ${r.code}): ${r.out}${r.err}`);
  const found = Object.entries(report.counts as Record<string, number>)
    .filter(([, n]) => n > 0)
    .map(([c]) => c)
    .sort();
  return { code: r.code, report, found };
}

const tree = (d: string) =>
  readdirSync(d, { recursive: true })
    .map(String)
    .sort()
    .map((n) => `${n}:${statSync(join(d, n)).size}`);

describe('recpipe verify', () => {
  it('reports a clean pipeline as clean with exit 0, and young sessions as in flight', async () => {
    const { stack, root } = await cleanPipeline();
    try {
      const clean = await verify(stack, ['--root', root, '--rig', 'local-rig']);
      expect(clean.found).toEqual([]);
      expect(clean.code).toBe(0);
      const dir = await generateSession(root, { name: '20210502_100000', files: 1, bytesPerFile: 1000 });
      const r = await runCli(['--json', 'verify', '--root', root, '--rig', 'local-rig'], stack.env);
      expect(JSON.parse(r.out).inFlight).toContain('local-rig/20210502_100000');
      expect(r.code).toBe(0);
      expect(dir).toContain('20210502_100000');
    } finally {
      await stack.stop();
    }
  });

  const P = 'processed/default/1/local-rig/20210501_100000/';
  const cases: [string, (s: TestStack, del: (b: string, k: string) => Promise<void>, root: string) => Promise<void>, string[]][] = [
    [
      'a raw object missing',
      async (s) => {
        const m = JSON.parse((await s.raw.get(manifestKey(ref))).toString());
        const other = { ...ref, session: '20210503_100000' };
        m.session = other.session;
        m.sessionId = `local-rig/${other.session}`;
        for (const f of m.files)
          if (f.name !== 'data_00.bin') await s.raw.put(`raw/local-rig/${other.session}/${f.name}`, await s.raw.get(`raw/local-rig/${ref.session}/${f.name}`));
        await s.raw.put(manifestKey(other), JSON.stringify(m));
        await processSession(other, { raw: s.raw, lake: s.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });
      },
      ['incomplete', 'raw_missing'],
    ],
    ['a catalog row missing', async (s, del) => del(s.info.buckets.lake, catalogSessionKey(ref)), ['not_registered']],
    [
      'an extra catalog row',
      async (s) => {
        await s.lake.put(
          catalogSessionKey({ rig: 'ghost', session: '20200101_000000' }),
          // A whole row (a cut-short or mistyped one is damaged_record, test/unit/process/damaged-ledger.test.ts).
          JSON.stringify({
            session_id: 'ghost/20200101_000000',
            rig: 'ghost',
            session: '20200101_000000',
            recorded_at: '2020-01-01 00:00:00',
            uploaded_at: '2020-01-01T00:00:00Z',
            file_count: 1,
            total_bytes: 1,
            raw_prefix: 'raw/ghost/20200101_000000/',
            manifest_sha256: 'a'.repeat(64),
            metadata_file: 'metadata.txt',
            num_vars: {},
            text_vars: {},
            registered_at: '2020-01-01T00:00:00Z',
          }) + '\n',
        );
      },
      ['orphan_catalog_row'],
    ],
    ['an output missing', async (s, del) => del(s.info.buckets.lake, `${P}data_00.npy`), ['output_missing']],
    [
      'an output altered',
      async (s) => {
        const b = await s.lake.get(`${P}data_01.npy`);
        b[200] ^= 1;
        await s.lake.put(`${P}data_01.npy`, b);
      },
      ['output_differs'],
    ],
    [
      'a stuck ledger entry',
      async (s) => {
        const e = JSON.parse((await s.lake.get(ledgerKey(ref, 'default', '1'))).toString());
        await s.lake.put(ledgerKey(ref, 'default', '1'), JSON.stringify({ ...e, state: 'running', lease_expires_at: '2021-01-01T00:00:00Z' }));
      },
      ['stuck_running'],
    ],
    [
      'a dead letter',
      async (s) => {
        const e = JSON.parse((await s.lake.get(ledgerKey(ref, 'default', '1'))).toString());
        await s.lake.put(ledgerKey(ref, 'default', '1'), JSON.stringify({ ...e, state: 'dead', attempts: 3, last_error: 'boom' }));
      },
      ['dead_letter'],
    ],
    [
      'a rig session never uploaded',
      async (_s, _d, root) => {
        await generateSession(root, { name: '20210504_100000', files: 1, bytesPerFile: 1000 });
      },
      ['local_not_uploaded'],
    ],
    [
      'a stale multipart upload',
      async (s) => {
        const c = createS3Client({ region: s.info.region, endpoint: s.info.s3, credentials: s.info.credentials });
        try {
          await c.send(new CreateMultipartUploadCommand({ Bucket: s.info.buckets.raw, Key: 'raw/local-rig/20210501_100000/late.bin' }));
        } finally {
          c.destroy();
        }
      },
      ['stale_upload'],
    ],
    [
      'an object outside any committed session',
      async (s) => {
        await s.raw.put('raw/local-rig/20210505_100000/stray.bin', 'x');
      },
      ['orphan_raw_object'],
    ],
  ];

  it.each(cases)('reports exactly %s, with exit 4', async (_what, inject, expected) => {
    const { stack, root, del } = await cleanPipeline();
    try {
      await inject(stack, del, root);
      const r = await verify(stack, ['--root', root, '--rig', 'local-rig']);
      expect(r.found).toEqual(expected);
      expect(r.code).toBe(4);
    } finally {
      await stack.stop();
    }
  });

  it('a plain verify re-hashes every stored object: a byte flipped in a raw object exits 4, naming the session and the next step', async () => {
    const { stack } = await cleanPipeline();
    try {
      flipStoredByte(stack.home, stack.info.buckets.raw, `raw/local-rig/${ref.session}/data_00.bin`);
      const r = await runCli(['--json', 'verify'], stack.env);
      const report = JSON.parse(r.out);
      expect(r.code).toBe(4);
      expect(report.findings).toEqual([
        expect.objectContaining({
          category: 'raw_checksum_mismatch',
          sessionId: 'local-rig/20210501_100000',
          key: 'raw/local-rig/20210501_100000/data_00.bin',
          next: expect.stringContaining('recpipe process --session local-rig/20210501_100000'),
        }),
      ]);
      // Every raw object and output was re-hashed (the store fits the default budget).
      expect(report.scanned.deepChecked).toBe(3 + 5);
      const human = await runCli(['verify'], stack.env);
      expect(human.code).toBe(4);
      expect(human.out).toMatch(
        /raw_checksum_mismatch: local-rig\/20210501_100000 raw\/local-rig\/20210501_100000\/data_00.bin: SHA-256 [0-9a-f]{64} in the store/,
      );
      expect(human.out).toMatch(/\n {2}next: raw objects are write-once/);
      // With no budget nothing is re-hashed; the record keeps the damaged object first in line.
      const none = JSON.parse((await runCli(['--json', 'verify', '--scrub-budget-gb', '0'], stack.env)).out);
      expect(none.scanned.deepChecked).toBe(0);
      const record = JSON.parse(readFileSync(join(stack.home, 'verify', 'scrub.json'), 'utf8'));
      expect(Object.keys(record)).toHaveLength(3 + 5 - 1);
      expect(record[`${stack.info.buckets.raw}/raw/local-rig/${ref.session}/data_00.bin`]).toBeUndefined();
    } finally {
      await stack.stop();
    }
  });

  it('--root compares committed rig files by SHA-256, re-reading none on an unchanged rig, and names a changed one with both hashes', async () => {
    const { stack, root } = await cleanPipeline();
    try {
      const args = ['--json', 'verify', '--root', root, '--rig', 'local-rig', '--scrub-budget-gb', '0'];
      const first = JSON.parse((await runCli(args, stack.env)).out);
      expect([first.clean, first.scanned.rigFilesHashed]).toEqual([true, 3]);
      const again = JSON.parse((await runCli(args, stack.env)).out);
      expect([again.clean, again.scanned.rigFilesHashed]).toEqual([true, 0]);
      // A byte changed in place: same size, the archive's hash is no longer the rig's.
      const file = join(root, ref.session, 'data_01.bin');
      const body = readFileSync(file);
      const archived = sha(body);
      body[10] ^= 1;
      writeFileSync(file, body);
      const r = await runCli(args, stack.env);
      const report = JSON.parse(r.out);
      expect(r.code).toBe(4);
      expect(report.findings).toEqual([
        expect.objectContaining({ category: 'local_content_differs', sessionId: 'local-rig/20210501_100000', key: 'data_01.bin' }),
      ]);
      expect(report.findings[0].message).toContain(sha(body));
      expect(report.findings[0].message).toContain(archived);
      expect(report.scanned.rigFilesHashed).toBe(1);
    } finally {
      await stack.stop();
    }
  });

  it('--pulled DIR checks a pull folder against its manifest and names a damaged file', async () => {
    const { stack } = await cleanPipeline();
    try {
      const q = await runCli(['--json', 'query', `session=${ref.session}`], stack.env);
      const input = join(tempDir('rp-verify-q-'), 'q.json');
      writeFileSync(input, q.out);
      const dest = tempDir('rp-verify-pulled-');
      expect((await runCli(['pull', '--input', input, '--dest', dest], stack.env)).code).toBe(0);
      expect((await runCli(['verify', '--pulled', dest], stack.env)).code).toBe(0);
      const npy = join(dest, 'local-rig', ref.session, 'default', '1', 'data_00.npy');
      const body = readFileSync(npy);
      body[200] ^= 1;
      writeFileSync(npy, body);
      const r = await runCli(['--json', 'verify', '--pulled', dest], stack.env);
      expect(r.code).toBe(4);
      expect(JSON.parse(r.out).problems).toEqual([
        expect.objectContaining({
          path: 'local-rig/20210501_100000/default/1/data_00.npy',
          problem: 'checksum_differs',
          sessionId: 'local-rig/20210501_100000',
        }),
      ]);
      const human = await runCli(['verify', '--pulled', dest], stack.env);
      expect(human.out).toContain('next: run the same `recpipe pull` again');
    } finally {
      await stack.stop();
    }
  });

  it('--repair re-drives what it can, deletes nothing, and ends clean', async () => {
    const { stack, root, del } = await cleanPipeline();
    try {
      await del(stack.info.buckets.lake, `${P}data_00.npy`);
      await del(stack.info.buckets.lake, catalogSessionKey(ref));
      await generateSession(root, { name: '20210506_100000', files: 1, bytesPerFile: 1000 });
      const before = tree(root);
      const rawBefore = (await stack.raw.list('raw/')).map((o) => o.key);
      const r = await runCli(['--json', 'verify', '--grace-hours', '0', '--root', root, '--rig', 'local-rig', '--repair'], stack.env);
      const report = JSON.parse(r.out);
      expect(report.repairs.map((x: { action: string; ok: boolean }) => `${x.action}:${x.ok}`).sort()).toEqual([
        'reprocess:true',
        'reprocess:true',
        'reupload:true',
      ]);
      expect(r.code).toBe(0);
      // The re-uploaded session is processed by the next pass; everything repaired is back.
      expect(report.counts.output_missing + report.counts.not_registered + report.counts.local_not_uploaded).toBe(0);
      expect(tree(root)).toEqual(before);
      const rawAfter = (await stack.raw.list('raw/')).map((o) => o.key);
      expect(rawBefore.every((k) => rawAfter.includes(k))).toBe(true);
      expect(sha(await stack.lake.get(`${P}data_00.npy`)).length).toBe(64);
    } finally {
      await stack.stop();
    }
  });
});
