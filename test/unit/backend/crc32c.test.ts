import { randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { crc32cOf } from '../../../src/backend/multipart/crc32c.js';
import { compositeCrc32c } from '../../../src/backend/multipart/stored-as.js';

describe('crc32cOf (plain JavaScript, for the Lambda bundle)', () => {
  it('agrees with the native CRC32C on the check value and on random buffers', () => {
    expect(crc32cOf(Buffer.from('123456789'))).toBe(0xe3069283);
    for (const n of [0, 1, 4, 7, 400, 40_000]) {
      const b = randomBytes(n);
      expect(crc32cOf(b)).toBe(crc32c(b) >>> 0);
    }
  });

  it('builds the composite checksum S3 reports for a multipart object', () => {
    const parts = [randomBytes(4), randomBytes(4)].map((v) => ({ checksum: { algorithm: 'CRC32C' as const, value: v.toString('base64') } }));
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksum.value, 'base64')));
    const want = Buffer.alloc(4);
    want.writeUInt32BE(crc32c(joined) >>> 0);
    expect(compositeCrc32c(parts)).toBe(`${want.toString('base64')}-2`);
  });
});
