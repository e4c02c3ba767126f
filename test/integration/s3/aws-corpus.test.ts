/**
 * The AWS-recorded corpus: each case replays a request whose answer AWS recorded (LocalStack's
 * AWS-validated snapshots, or AWS's documentation) against the real gateway and s3rver, and
 * expects the same status and error code. docs/aws-parity.md lists the same cases; the last test
 * fails when the two drift apart.
 */
import { readFileSync, rmSync } from 'node:fs';
import { startS3Service, type S3Service } from '../../../src/local/s3/service.js';
import { tempDir } from '../../helpers/tmp.js';
import { answerText, docRow, testName } from './corpus/case.js';
import { CASES } from './corpus/cases.js';
import { CorpusClient } from './corpus/harness.js';

const credentials = { accessKeyId: 'RPCORPUS', secretAccessKey: 'corpus-secret' };
const region = 'us-east-1';
const buckets = { raw: 'corpus-raw', lake: 'corpus-lake' };

let dataDir: string;
let svc: S3Service;
let s3: CorpusClient;
let raw: CorpusClient;

beforeAll(async () => {
  dataDir = tempDir('rp-corpus-');
  // S3's own minimum part size (5 MiB), as the recorded tests ran against.
  svc = await startS3Service({ dataDir, credentials, region, buckets });
  s3 = new CorpusClient(svc.url, credentials, region, buckets.lake);
  raw = new CorpusClient(svc.url, credentials, region, buckets.raw);
});
afterAll(async () => {
  await svc.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AWS-recorded corpus, replayed against the gateway', () => {
  it.each(CASES.map((c) => [testName(c), c] as const))('%s', async (_name, c) => {
    // Prepare
    const prefix = `c/${c.id}/`;
    const ctx = { s3, raw, prefix, key: prefix + 'object.bin' };
    // Act
    const got = await c.act(ctx);
    // Assess
    expect(answerText(got)).toBe(answerText(c.aws));
    await c.also?.(got, ctx);
  });

  it('is listed case for case in docs/aws-parity.md, "AWS-recorded corpus"', () => {
    // Prepare
    const doc = readFileSync(new URL('../../../docs/aws-parity.md', import.meta.url), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('AWS-recorded corpus')) ?? '';
    // Act
    const rows = section.split('\n').filter((l) => /^\| \d+ \| `/.test(l));
    // Assess
    expect(rows).toEqual(CASES.map(docRow));
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(CASES.filter((c) => 'file' in c.source).length).toBeGreaterThanOrEqual(40);
  });
});
