/**
 * The local stack's own files, damaged: stack.json is named (file and field) where a command needs
 * it and warned about where `local up` rewrites it; the gateway's records read as absent, as a
 * missing one does (the client starts the upload again), and nothing is deleted but the record.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { RecpipeError } from '../../../src/core/errors.js';
import { ensureLocalCredentials } from '../../../src/local/credentials.js';
import { readStackInfo, requireStackInfo, stackInfoPath } from '../../../src/local/stack-info.js';
import { ChecksumStore } from '../../../src/local/s3/checksum-store.js';
import { PartStore } from '../../../src/local/s3/part-store.js';
import { WriteIntents } from '../../../src/local/s3/write-intents.js';
import { tempDir } from '../../helpers/tmp.js';

const info = {
  api: 'http://127.0.0.1:1',
  s3: 'http://127.0.0.1:2',
  region: 'us-east-1',
  buckets: { raw: 'raw', lake: 'lake' },
  dataDir: '/d',
  credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
  pid: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
};
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('a damaged local stack file', () => {
  it('is an integrity error naming the file and field for a command that needs the stack, a warning for `local up`', () => {
    const home = tempDir('rp-stackinfo-');
    mkdirSync(join(home, 'local'));
    writeFileSync(stackInfoPath(home), JSON.stringify(info));
    expect(requireStackInfo(home).api).toBe(info.api);
    writeFileSync(stackInfoPath(home), JSON.stringify({ ...info, pid: '1' }));
    expect(() => requireStackInfo(home)).toThrow(`local stack file ${stackInfoPath(home)} cannot be read: pid must be a whole number (got "1")`);
    const seen: RecpipeError[] = [];
    expect(readStackInfo(home, (e) => seen.push(e))).toBeUndefined();
    expect(seen.map((e) => e.code)).toEqual(['integrity']);
  });

  it('damaged local credentials are replaced by new ones', () => {
    const dir = tempDir('rp-localcreds-');
    writeFileSync(join(dir, 'credentials.json'), '{"accessKeyId": 7}');
    const c = ensureLocalCredentials(dir);
    expect(c.accessKeyId).toMatch(/^RPLOCAL/);
    expect(JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'))).toEqual(c);
  });
});

describe("the gateway's damaged records", () => {
  it('a damaged upload record is an unknown upload and is not listed; a damaged part record is a part not received', async () => {
    const dir = tempDir('rp-parts-');
    const parts = new PartStore(dir);
    await parts.begin('u1', { bucket: 'raw', key: 'k', initiated: new Date(0), algorithm: 'crc32c', type: 'COMPOSITE' });
    await parts.set('u1', 1, { size: 3, etag: '"e"', checksums: { crc32c: 'AAAAAA==' } });
    await parts.set('u1', 2, { size: 3, etag: '"f"', checksums: { crc32c: 'AAAAAB==' } });
    expect(await parts.upload('u1')).toMatchObject({ bucket: 'raw', key: 'k', algorithm: 'crc32c' });
    writeFileSync(join(dir, sha1('u1'), '2.json'), '{"size": "3"}');
    expect([...(await parts.get('u1', [1, 2])).keys()]).toEqual([1]);
    writeFileSync(join(dir, sha1('u1'), '_upload.json'), '{"v": 2, "uploadId": "u1", "bucket": "raw"');
    expect(await parts.upload('u1')).toBeUndefined();
    expect(await parts.uploads('raw')).toEqual([]);
    // The records stay where they are: nothing is removed for being unreadable.
    expect(readdirSync(join(dir, sha1('u1'))).sort()).toEqual(['1.json', '2.json', '_upload.json']);
  });

  it('a damaged write intent is forgotten (its write had not started); a whole one is reported', async () => {
    const dir = tempDir('rp-intents-');
    const intents = new WriteIntents(dir);
    await intents.begin('raw', 'a');
    await intents.begin('raw', 'b');
    writeFileSync(join(dir, `${sha1('raw\nb')}.json`), '{"bucket": "raw", "key": 7}');
    const left = await intents.leftovers();
    expect(left.map((w) => w.key)).toEqual(['a']);
    expect(readdirSync(dir)).toEqual([`${sha1('raw\na')}.json`]);
  });

  it('a damaged checksum record is served as none', async () => {
    const dir = tempDir('rp-sums-');
    const sums = new ChecksumStore(dir);
    await sums.set('raw', 'k', '"e1"', { crc32c: 'AAAAAA==' });
    expect(await sums.headers('raw', 'k', '"e1"')).toEqual({ 'x-amz-checksum-crc32c': 'AAAAAA==' });
    writeFileSync(join(dir, `${sha1('raw\nk')}.json`), '{"etag": "e1", "crc32c": 5}');
    expect(await sums.headers('raw', 'k', '"e1"')).toEqual({});
  });
});
