/** CompleteMultipartUpload: the checksum algorithm and type the upload was created with. */
import { snapshot, type CorpusCase } from './case.js';
import { digest, steps } from './harness.js';
import { onePart, threeParts } from './uploads.js';

const S3 = 'test_s3.snapshot.json';
const CHECKSUMS = 'TestS3MultipartUploadChecksum';

const composite = (algorithm: 'SHA256' | 'CRC32C', recorded: string): CorpusCase[] => {
  const a = algorithm.toLowerCase() as 'sha256' | 'crc32c';
  const test = `${CHECKSUMS}::test_complete_multipart_parts_checksum_composite[${algorithm}]`;
  return [
    {
      id: `complete-${a}-wrong-part-checksums`,
      operation: 'CompleteMultipartUpload',
      source: snapshot(S3, test, 'complete-multipart-wrong-parts-checksum'),
      aws: { status: 400, code: 'InvalidPart' },
      act: async (c) => {
        const { id, parts } = await threeParts(c, a);
        return steps.complete(
          c.s3,
          c.key,
          id,
          parts.map((p) => ({ ...p, checksums: { [a]: digest[a]('bbb') } })),
        );
      },
    },
    {
      id: `complete-${a}-without-part-checksums`,
      operation: 'CompleteMultipartUpload',
      source: snapshot(S3, test, 'complete-multipart-no-checksum'),
      aws: { status: 400, code: 'InvalidRequest' },
      act: async (c) => {
        const { id, parts } = await threeParts(c, a);
        return steps.complete(
          c.s3,
          c.key,
          id,
          parts.map((p) => ({ ...p, checksums: undefined })),
        );
      },
    },
    {
      id: `complete-${a}-composite`,
      operation: 'CompleteMultipartUpload',
      source: snapshot(S3, test, 'complete-multipart-checksum'),
      aws: { status: 200 },
      act: async (c) => {
        const { id, parts } = await threeParts(c, a);
        return steps.complete(c.s3, c.key, id, parts);
      },
      // The composite checksum S3 recorded for these very bytes, served back on a checksum-mode HEAD.
      also: async (_a, c) =>
        expect((await c.s3.send({ method: 'HEAD', key: c.key, headers: { 'x-amz-checksum-mode': 'ENABLED' } })).headers[`x-amz-checksum-${a}`]).toBe(recorded),
    },
  ];
};

export const COMPLETE_CHECKSUM_CASES: CorpusCase[] = [
  ...composite('CRC32C', 'XF5+4A==-3'),
  ...composite('SHA256', '9o++y6AejqboiJ7MZCx0fahK2Vu5YC/qnNhhYsCLciI=-3'),
  {
    id: 'complete-other-algorithm-listed',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, `${CHECKSUMS}::test_multipart_parts_checksum_exceptions_composite`, 'complete-part-with-checksum'),
    aws: { status: 400, code: 'BadDigest' },
    act: async (c) => {
      const { id, etag } = await onePart(
        c,
        'abc',
        { 'x-amz-checksum-crc32': digest.crc32('abc') },
        { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'COMPOSITE' },
      );
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag, checksums: { sha256: digest.sha256('abc') } }]);
    },
  },
  {
    id: 'complete-other-checksum-type',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, `${CHECKSUMS}::test_multipart_parts_checksum_exceptions_composite`, 'complete-part-with-bad-checksum-type'),
    aws: { status: 400, code: 'InvalidRequest' },
    act: async (c) => {
      const { id, etag } = await onePart(
        c,
        'abc',
        { 'x-amz-checksum-crc32': digest.crc32('abc') },
        { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'COMPOSITE' },
      );
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag }], { 'x-amz-checksum-type': 'FULL_OBJECT' });
    },
  },
  {
    id: 'complete-checksums-for-upload-without',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, `${CHECKSUMS}::test_complete_multipart_parts_checksum_default`, 'complete-multipart-parts-checksum'),
    aws: { status: 400, code: 'InvalidPart' },
    act: async (c) => {
      const { id, etag } = await onePart(c, 'aaa', { 'x-amz-checksum-crc32c': digest.crc32c('aaa') });
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag, checksums: { crc32c: digest.crc32c('aaa') } }]);
    },
  },
  {
    id: 'complete-type-for-upload-without',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, `${CHECKSUMS}::test_complete_multipart_parts_checksum_default`, 'complete-multipart-full-object-type'),
    aws: { status: 400, code: 'InvalidRequest' },
    act: async (c) => {
      const { id, etag } = await onePart(c, 'aaa', { 'x-amz-checksum-crc32c': digest.crc32c('aaa') });
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag }], { 'x-amz-checksum-type': 'FULL_OBJECT' });
    },
  },
];
