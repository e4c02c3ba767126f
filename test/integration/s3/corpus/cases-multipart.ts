/** CreateMultipartUpload, UploadPart and AbortMultipartUpload. */
import { snapshot, type CorpusCase } from './case.js';
import { digest, steps } from './harness.js';

const S3 = 'test_s3.snapshot.json';
const CHECKSUMS = 'TestS3MultipartUploadChecksum';
const NOT_A_DIGEST = 'a1b2c3d4';
const create = (
  id: string,
  test: string,
  entry: string,
  headers: Record<string, string>,
  aws: CorpusCase['aws'] = { status: 400, code: 'InvalidRequest' },
): CorpusCase => ({
  id,
  operation: 'CreateMultipartUpload',
  source: snapshot(S3, test, entry),
  aws,
  act: ({ s3, key }) => s3.send({ method: 'POST', key, query: { uploads: '' }, headers }),
});

const partChecksum = (algorithm: 'SHA256' | 'CRC32C'): CorpusCase[] => {
  const a = algorithm.toLowerCase() as 'sha256' | 'crc32c';
  const test = `${CHECKSUMS}::test_multipart_upload_part_checksum_exception[${algorithm}]`;
  const send =
    (value: (body: string) => string) =>
    async ({ s3, key }: Parameters<CorpusCase['act']>[0]) =>
      steps.part(s3, key, await steps.create(s3, key), 1, 'right body', { [`x-amz-checksum-${a}`]: value('right body') });
  return [
    {
      id: `part-${a}-not-a-digest`,
      operation: 'UploadPart',
      source: snapshot(S3, test, 'put-wrong-checksum-no-b64'),
      aws: { status: 400, code: 'InvalidRequest' },
      act: send(() => NOT_A_DIGEST),
    },
    {
      id: `part-${a}-mismatch`,
      operation: 'UploadPart',
      source: snapshot(S3, test, 'put-wrong-checksum-value'),
      aws: { status: 400, code: 'BadDigest' },
      act: send(() => digest[a]('bad data')),
    },
  ];
};

const noSuchUpload = (id: string, operation: string, test: string, entry: string, act: CorpusCase['act']): CorpusCase => ({
  id,
  operation,
  source: test.endsWith('test_multipart_key_validation') ? { ...snapshot(S3, test, entry), unlisted: true } : snapshot(S3, test, entry),
  aws: { status: 404, code: 'NoSuchUpload' },
  act,
});

export const MULTIPART_CASES: CorpusCase[] = [
  create('create-unknown-algorithm', `${CHECKSUMS}::test_multipart_parts_checksum_exceptions_composite`, 'create-mpu-wrong-checksum-algo', {
    'x-amz-checksum-algorithm': 'TEST',
  }),
  create('create-type-without-algorithm', `${CHECKSUMS}::test_multipart_parts_checksum_exceptions_composite`, 'create-mpu-no-checksum-algo-with-type', {
    'x-amz-checksum-type': 'COMPOSITE',
  }),
  create('create-full-object-sha256', `${CHECKSUMS}::test_multipart_checksum_type_compatibility[FULL_OBJECT-SHA256]`, 'create-mpu-checksum-exc', {
    'x-amz-checksum-algorithm': 'SHA256',
    'x-amz-checksum-type': 'FULL_OBJECT',
  }),
  create('create-full-object-sha1', `${CHECKSUMS}::test_multipart_checksum_type_compatibility[FULL_OBJECT-SHA1]`, 'create-mpu-checksum-exc', {
    'x-amz-checksum-algorithm': 'SHA1',
    'x-amz-checksum-type': 'FULL_OBJECT',
  }),
  create('create-composite-crc64nvme', `${CHECKSUMS}::test_multipart_checksum_type_compatibility[COMPOSITE-CRC64NVME]`, 'create-mpu-checksum-exc', {
    'x-amz-checksum-algorithm': 'CRC64NVME',
    'x-amz-checksum-type': 'COMPOSITE',
  }),
  {
    ...create(
      'create-composite-crc32c',
      `${CHECKSUMS}::test_multipart_checksum_type_compatibility[COMPOSITE-CRC32C]`,
      'create-mpu-checksum',
      { 'x-amz-checksum-algorithm': 'CRC32C', 'x-amz-checksum-type': 'COMPOSITE' },
      { status: 200 },
    ),
    also: (a) => expect([a.headers['x-amz-checksum-algorithm'], a.headers['x-amz-checksum-type']]).toEqual(['CRC32C', 'COMPOSITE']),
  },
  {
    ...create(
      'create-sha256-default-type',
      `${CHECKSUMS}::test_multipart_checksum_type_default_for_checksum[SHA256]`,
      'create-mpu-default-checksum-type',
      { 'x-amz-checksum-algorithm': 'SHA256' },
      { status: 200 },
    ),
    also: (a) => expect([a.headers['x-amz-checksum-algorithm'], a.headers['x-amz-checksum-type']]).toEqual(['SHA256', 'COMPOSITE']),
  },
  ...partChecksum('CRC32C'),
  ...partChecksum('SHA256'),
  {
    id: 'part-other-algorithm-than-upload',
    operation: 'UploadPart',
    source: snapshot(S3, `${CHECKSUMS}::test_multipart_parts_checksum_exceptions_composite`, 'upload-part-different-checksum-exc'),
    aws: { status: 400, code: 'InvalidRequest' },
    act: async ({ s3, key }) =>
      steps.part(s3, key, await steps.create(s3, key, { 'x-amz-checksum-algorithm': 'SHA256' }), 1, 'abc', { 'x-amz-checksum-crc32': digest.crc32('abc') }),
  },
  {
    id: 'part-any-algorithm-when-upload-has-none',
    operation: 'UploadPart',
    source: snapshot(S3, `${CHECKSUMS}::test_complete_multipart_parts_checksum_default`, 'upload-part-different-checksum-than-default'),
    aws: { status: 200 },
    act: async ({ s3, key }) => steps.part(s3, key, await steps.create(s3, key), 1, 'aaa', { 'x-amz-checksum-crc32c': digest.crc32c('aaa') }),
    also: (a) => expect(a.headers['x-amz-checksum-crc32c']).toBe(digest.crc32c('aaa')),
  },
  {
    id: 'part-md5-not-md5',
    operation: 'UploadPart',
    source: snapshot(S3, 'TestS3::test_s3_invalid_content_md5', 'upload-part-md5-error-4'),
    aws: { status: 400, code: 'InvalidDigest' },
    act: async ({ s3, key }) =>
      steps.part(s3, key, await steps.create(s3, key), 1, 'something', { 'content-md5': Buffer.from('test-string').toString('base64') }),
  },
  {
    id: 'part-md5-mismatch',
    operation: 'UploadPart',
    source: snapshot(S3, 'TestS3::test_s3_invalid_content_md5', 'upload-part-md5-bad-digest'),
    aws: { status: 400, code: 'BadDigest' },
    act: async ({ s3, key }) => steps.part(s3, key, await steps.create(s3, key), 1, 'something', { 'content-md5': digest.md5('something1') }),
  },
  {
    id: 'part-number-negative',
    operation: 'UploadPart',
    source: snapshot(S3, 'TestS3::test_complete_multipart_parts_order', 'upload-part-negative-part-number'),
    aws: { status: 400, code: 'InvalidArgument' },
    act: async ({ s3, key }) => steps.part(s3, key, await steps.create(s3, key), -1, ''),
  },
  noSuchUpload('part-unknown-upload', 'UploadPart', 'TestS3::test_multipart_no_such_upload', 'upload-exc', ({ s3, key }) =>
    steps.part(s3, key, 'fakeid', 1, 'data'),
  ),
  noSuchUpload('part-upload-of-other-key', 'UploadPart', 'TestS3::test_multipart_key_validation', 'upload-part-wrong-key-name', async ({ s3, key, prefix }) =>
    steps.part(s3, prefix + 'fake-key-name', await steps.create(s3, key), 1, 'a'),
  ),
  noSuchUpload('abort-unknown-upload', 'AbortMultipartUpload', 'TestS3::test_multipart_no_such_upload', 'abort-exc', ({ s3, key }) =>
    s3.send({ method: 'DELETE', key, query: { uploadId: 'fakeid' } }),
  ),
  noSuchUpload(
    'abort-upload-of-other-key',
    'AbortMultipartUpload',
    'TestS3::test_multipart_key_validation',
    'abort-multipart-wrong-key-name',
    async ({ s3, key, prefix }) => s3.send({ method: 'DELETE', key: prefix + 'fake-fake-name', query: { uploadId: await steps.create(s3, key) } }),
  ),
];
