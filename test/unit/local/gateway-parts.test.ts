import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { ChecksumStore, compositeChecksum } from '../../../src/local/s3/checksum-store.js';
import { FaultInjector } from '../../../src/local/s3/faults.js';
import { KeyLocks } from '../../../src/local/s3/key-locks.js';
import { operationOf } from '../../../src/local/s3/operation.js';
import { PartStore } from '../../../src/local/s3/part-store.js';
import { crc32cBase64 } from '../../../src/local/s3/spool.js';
import { GatewayStats } from '../../../src/local/s3/stats.js';
import { encodeEventKey, parseCompleteParts } from '../../../src/local/s3/xml.js';
import { tempDir } from '../../helpers/tmp.js';

const q = (...keys: string[]) => new Map(keys.map((k) => [k, '1']));

describe('gateway building blocks', () => {
  it('names S3 operations from method, key and query', () => {
    expect(operationOf('PUT', 'k', q())).toBe('PutObject');
    expect(operationOf('PUT', 'k', q('uploadId', 'partNumber'))).toBe('UploadPart');
    expect(operationOf('POST', 'k', q('uploads'))).toBe('CreateMultipartUpload');
    expect(operationOf('POST', 'k', q('uploadId'))).toBe('CompleteMultipartUpload');
    expect(operationOf('GET', 'k', q('uploadId'))).toBe('ListParts');
    expect(operationOf('DELETE', 'k', q('uploadId'))).toBe('AbortMultipartUpload');
    expect(operationOf('POST', '', q('delete'))).toBe('DeleteObjects');
    expect(operationOf('GET', '', new Map([['list-type', '2']]))).toBe('ListObjects');
    expect(operationOf('GET', '', q())).toBe('ListObjectsV1');
    expect(operationOf('PUT', 'k', q(), { 'x-amz-copy-source': 'b/k' })).toBe('CopyObject');
    expect(operationOf('PUT', 'k', q('tagging'))).toBe('Other');
  });

  it('encodes event keys like S3 notifications', () => {
    expect(encodeEventKey('raw/a b+c.bin')).toBe('raw/a+b%2Bc.bin');
    expect(decodeURIComponent(encodeEventKey('x/Hello, 世界 %.bin').replace(/\+/g, ' '))).toBe('x/Hello, 世界 %.bin');
  });

  it('applies a fault rule the given number of times, matching every field given', () => {
    const f = new FaultInjector();
    f.add({ match: { bucket: 'b', operation: 'UploadPart', keyPrefix: 'raw/' }, action: { type: 'delay', ms: 1 }, times: 2 });
    const req = { method: 'PUT', bucket: 'b', key: 'raw/x', operation: 'UploadPart' as const, partNumber: 1 };
    expect(f.take({ ...req, operation: 'PutObject' })).toBeUndefined();
    expect(f.take({ ...req, key: 'lake/x' })).toBeUndefined();
    expect(f.take(req)).toEqual({ type: 'delay', ms: 1 });
    expect(f.take(req)).toEqual({ type: 'delay', ms: 1 });
    expect(f.take(req)).toBeUndefined();
  });

  it('counts body bytes once per body, by bucket and key prefix', () => {
    const s = new GatewayStats();
    const body = {};
    s.received('raw', 100, body, 'raw/a/1');
    s.received('raw', 250, body, 'raw/a/1');
    s.received('lake', 7, {}, 'x');
    expect(s.bytesReceived('raw')).toBe(250);
    expect(s.bytesReceived('raw', 'raw/a/')).toBe(250);
    expect(s.bytesReceived('raw', 'raw/b/')).toBe(0);
    expect(s.bytesReceived()).toBe(257);
  });

  it('runs work on one key one at a time, other keys in parallel', async () => {
    const locks = new KeyLocks();
    const order: string[] = [];
    const slow = (tag: string, ms: number) => async () => {
      order.push(`${tag}>`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`<${tag}`);
    };
    await Promise.all([locks.run('k', slow('a', 30)), locks.run('k', slow('b', 1)), locks.run('other', slow('c', 1))]);
    expect(order.indexOf('b>')).toBeGreaterThan(order.indexOf('<a'));
    expect(order.indexOf('<c')).toBeLessThan(order.indexOf('<a'));
  });

  it('reads the parts and their checksums out of a CompleteMultipartUpload body', () => {
    const xml =
      '<CompleteMultipartUpload><Part><ETag>&quot;e1&quot;</ETag><PartNumber>1</PartNumber><ChecksumCRC32C>AAAAAQ==</ChecksumCRC32C></Part><Part><PartNumber>2</PartNumber><ETag>"e2"</ETag></Part></CompleteMultipartUpload>';
    expect(parseCompleteParts(xml)).toEqual([
      { partNumber: 1, etag: '"e1"', checksums: { crc32c: 'AAAAAQ==' } },
      { partNumber: 2, etag: '"e2"', checksums: {} },
    ]);
    expect(parseCompleteParts('')).toEqual([]);
    expect(parseCompleteParts('<NotCompletion/>')).toBeUndefined();
    expect(parseCompleteParts('<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>')).toBeUndefined();
  });

  it('serves stored checksums only for the ETag they were recorded with', async () => {
    const dir = tempDir('rp-sums-');
    try {
      const store = new ChecksumStore(dir);
      await store.set('b', 'k', '"etag1"', { sha256: 'abc=' });
      expect(await store.headers('b', 'k', '"etag1"')).toEqual({ 'x-amz-checksum-sha256': 'abc=' });
      expect(await store.headers('b', 'k', '"etag2"')).toEqual({});
      expect(await store.headers('b', 'other', '"etag1"')).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('computes the composite CRC32C of a multipart object like S3', () => {
    const parts = [Buffer.from('abc'), Buffer.from('def')];
    const each = parts.map((p) => crc32cBase64(crc32c(p)));
    const expected = crc32cBase64(crc32c(Buffer.concat(each.map((e) => Buffer.from(e, 'base64'))))) + '-2';
    expect(compositeChecksum(each, (b) => crc32cBase64(crc32c(b)))).toBe(expected);
    expect(crc32cBase64(crc32c(Buffer.from('123456789')))).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
  });

  it('reads upload and part records an earlier gateway wrote, marking the upload legacy', async () => {
    // Prepare: records as the gateway wrote them before it kept algorithms and part ETags
    const dir = tempDir('rp-parts-');
    try {
      const store = new PartStore(dir);
      await store.set('U1', 1, { size: 9, checksums: {} });
      const folder = join(dir, readdirSync(dir)[0]);
      writeFileSync(join(folder, '_upload.json'), JSON.stringify({ uploadId: 'U1', bucket: 'b', key: 'k', initiated: '2026-01-01T00:00:00.000Z' }));
      writeFileSync(join(folder, '1.json'), JSON.stringify({ size: 9, crc32c: 'AAAAAQ==' }));
      await store.begin('U2', { bucket: 'b', key: 'k2', initiated: new Date(0), algorithm: 'crc32c', type: 'COMPOSITE' });
      // Act
      const [legacy, current, parts] = [await store.upload('U1'), await store.upload('U2'), await store.get('U1', [1, 2])];
      // Assert
      expect(legacy).toMatchObject({ bucket: 'b', key: 'k', legacy: true });
      expect(current).toMatchObject({ bucket: 'b', key: 'k2', algorithm: 'crc32c', type: 'COMPOSITE' });
      expect(current?.legacy).toBeUndefined();
      expect([...parts.entries()]).toEqual([[1, { size: 9, crc32c: 'AAAAAQ==', checksums: { crc32c: 'AAAAAQ==', sha256: undefined } }]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
