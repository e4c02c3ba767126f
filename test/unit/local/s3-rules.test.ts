/** The stand-in's AWS rules on keys, integrity headers, conditions and listings (pure functions). */
import { createHash } from 'node:crypto';
import { checksumHeaderProblem, objectLockProblem } from '../../../src/local/s3/rules/checksum-headers.js';
import { conditionHeaderProblem, preconditionFailure, readConditionAnswer } from '../../../src/local/s3/rules/conditions.js';
import { keyProblem, maxLastSegmentBytes } from '../../../src/local/s3/rules/key.js';
import { continuationToken, encodingTypeProblem, resumeAfter } from '../../../src/local/s3/rules/listing.js';
import { lengthProblem } from '../../../src/local/s3/rules/request-shape.js';

const limits = { nameMax: 255 };
const sha = createHash('sha256').update('x').digest('base64');
const codeOf = (f: { code: string } | undefined | string) => (typeof f === 'object' ? f.code : f);

describe('key rules', () => {
  it('takes keys up to 1,024 bytes and last segments up to the store file-name limit, refusing the rest before any write', () => {
    // Prepare
    const lastMax = maxLastSegmentBytes(limits);
    const ok = ['raw/a/' + 'x'.repeat(lastMax), 'a/'.repeat(400) + 'b', 'dir/', "hello? sausage/êé/'q' +plus %pct.bin"];
    // Act
    const refused = {
      tooLong: keyProblem('a/'.repeat(512) + 'b', limits),
      lastSegment: keyProblem('raw/a/' + 'x'.repeat(lastMax + 1), limits),
      multiByte: keyProblem('raw/a/' + 'é'.repeat(117), limits),
      dotDot: keyProblem('raw/../lake/x', limits),
      empty: keyProblem('raw//x', limits),
      reserved: keyProblem('raw/x._S3rver_object', limits),
    };
    // Assert
    expect(lastMax).toBe(233);
    expect(ok.map((k) => keyProblem(k, limits))).toEqual([undefined, undefined, undefined, undefined]);
    expect(Object.values(refused).map(codeOf)).toEqual([
      'KeyTooLongError',
      'KeyTooLongError',
      'KeyTooLongError',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
    ]);
    expect(refused.tooLong?.status).toBe(400);
    expect(refused.lastSegment?.message).toMatch(/at most 233 bytes \(this one has 234\); S3 allows it/);
  });
});

describe('integrity header rules', () => {
  it('refuses two checksums, malformed digests and malformed Content-MD5 as S3 does; the stand-in refuses digests it cannot verify', () => {
    // Act
    const got = [
      checksumHeaderProblem({ 'x-amz-checksum-sha256': sha }),
      checksumHeaderProblem({ 'x-amz-checksum-sha256': sha, 'x-amz-checksum-crc32': 'AAAAAA==' }),
      checksumHeaderProblem({ 'x-amz-checksum-sha256': 'a1b2c3d4' }),
      checksumHeaderProblem({ 'x-amz-checksum-crc32c': 'not base64!' }),
      checksumHeaderProblem({ 'content-md5': 'MTIz' }),
      checksumHeaderProblem({ 'x-amz-checksum-sha1': createHash('sha1').update('x').digest('base64') }),
    ];
    // Assert
    expect(got.map(codeOf)).toEqual([undefined, 'InvalidRequest', 'InvalidRequest', 'InvalidRequest', 'InvalidDigest', 'NotImplemented']);
    expect(got[2]?.message).toBe('Value for x-amz-checksum-sha256 header is invalid.');
  });

  it('requires Content-MD5 or a checksum on Object Lock writes, and a length on every PUT and POST', () => {
    // Act
    const lock = [objectLockProblem({}), objectLockProblem({ 'content-md5': 'x' }), objectLockProblem({ 'x-amz-checksum-crc32c': 'x' })];
    const length = [lengthProblem('PUT', {}), lengthProblem('POST', { 'transfer-encoding': 'chunked' }), lengthProblem('POST', { 'content-length': '9' })];
    // Assert
    expect(lock.map(codeOf)).toEqual(['InvalidRequest', undefined, undefined]);
    expect(length.map((f) => f && `${f.status} ${f.code}`)).toEqual(['411 MissingContentLength', '411 MissingContentLength', undefined]);
  });
});

describe('condition rules', () => {
  it('takes If-None-Match * and an If-Match ETag, never both, and answers a failed condition as S3', () => {
    // Prepare
    const current = { etag: '"abc"' };
    // Act
    const headers = [
      conditionHeaderProblem({ 'if-none-match': '*' }),
      conditionHeaderProblem({ 'if-none-match': '"abc"' }),
      conditionHeaderProblem({ 'if-match': '*' }),
      conditionHeaderProblem({ 'if-match': '"abc"', 'if-none-match': '*' }),
    ];
    const outcomes = [
      preconditionFailure({ 'if-none-match': '*' }, 'k', current, false),
      preconditionFailure({ 'if-match': 'abc' }, 'k', current, false),
      preconditionFailure({ 'if-match': '"other"' }, 'k', current, false),
      preconditionFailure({ 'if-match': '"abc"' }, 'k', undefined, false),
      preconditionFailure({}, 'k', current, true),
      preconditionFailure({}, 'k', undefined, true),
    ];
    // Assert
    expect(headers.map((f) => f && `${f.status} ${f.code}`)).toEqual([undefined, '501 NotImplemented', '501 NotImplemented', '501 NotImplemented']);
    expect(outcomes.map((f) => f && `${f.status} ${f.code}`)).toEqual([
      '412 PreconditionFailed',
      undefined,
      '412 PreconditionFailed',
      '404 NoSuchKey',
      '412 PreconditionFailed',
      undefined,
    ]);
  });
});

describe('read condition rules', () => {
  it("answers If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in S3's order", () => {
    // Prepare
    const current = { etag: '"abc"', lastModified: new Date('2026-01-02T00:00:00Z') };
    const before = 'Thu, 01 Jan 2026 00:00:00 GMT';
    const after = 'Sat, 03 Jan 2026 00:00:00 GMT';
    // Act
    const got = [
      readConditionAnswer({ 'if-match': 'other', 'if-none-match': '"abc"', 'if-unmodified-since': before }, current),
      readConditionAnswer({ 'if-unmodified-since': before, 'if-none-match': '"abc"' }, current),
      readConditionAnswer({ 'if-none-match': 'abc', 'if-modified-since': after }, current),
      readConditionAnswer({ 'if-modified-since': after }, current),
      readConditionAnswer({ 'if-modified-since': before }, current),
      readConditionAnswer({ 'if-match': '"abc"', 'if-unmodified-since': before }, current),
    ];
    // Assert
    expect(got.map((g) => (typeof g === 'object' ? `${g.status} ${g.extra?.Condition}` : g))).toEqual([
      '412 If-Match',
      '412 If-Unmodified-Since',
      'not-modified',
      'not-modified',
      undefined,
      undefined,
    ]);
  });
});

describe('listing rules', () => {
  it('resumes after the key its own token names, refuses tokens it did not issue and encodings other than url', () => {
    // Act
    const resumed = resumeAfter(continuationToken('raw/a b/é.bin'));
    const forged = ['', 'blah', Buffer.from('raw/x').toString('base64url')].map((t) => codeOf(resumeAfter(t) as { code: string }));
    const encodings = ['url', 'value', ''].map((v) => codeOf(encodingTypeProblem(new Map([['encoding-type', v]]))));
    // Assert
    expect(resumed).toBe('raw/a b/é.bin');
    expect(forged).toEqual(['InvalidArgument', 'InvalidArgument', 'InvalidArgument']);
    expect(encodings).toEqual([undefined, 'InvalidArgument', 'InvalidArgument']);
  });
});
