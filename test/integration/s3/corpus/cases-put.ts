/** PutObject: checksums, Content-MD5, conditions, length, key length, Object Lock. */
import { snapshot, type CorpusCase } from './case.js';
import { digest, steps } from './harness.js';

const S3 = 'test_s3.snapshot.json';
const API = 'test_s3_api.snapshot.json';
const ERRORS = 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html';
const data = 'test data..';
/** What the recorded tests sent as a malformed checksum (LocalStack's short_uid()). */
const NOT_A_DIGEST = 'a1b2c3d4';
/** The ETag of an empty object, as the recorded If-Match tests sent it (unquoted). */
const EMPTY_ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

const checksum = (algorithm: 'SHA256' | 'CRC32C' | 'CRC32'): CorpusCase[] => {
  const a = algorithm.toLowerCase() as 'sha256' | 'crc32c' | 'crc32';
  const test = `TestS3PutObjectChecksum::test_put_object_checksum[${algorithm}]`;
  return [
    {
      id: `put-${a}-not-a-digest`,
      operation: 'PutObject',
      source: snapshot(S3, test, 'put-wrong-checksum-no-b64'),
      aws: { status: 400, code: 'InvalidRequest' },
      act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: data, headers: { [`x-amz-checksum-${a}`]: NOT_A_DIGEST } }),
    },
    {
      id: `put-${a}-mismatch`,
      operation: 'PutObject',
      source: snapshot(S3, test, 'put-wrong-checksum-value'),
      aws: { status: 400, code: 'BadDigest' },
      act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: data, headers: { [`x-amz-checksum-${a}`]: digest[a]('bad data') } }),
    },
  ];
};

const md5 = (id: string, entry: string, value: string, code: string): CorpusCase => ({
  id,
  operation: 'PutObject',
  source: snapshot(S3, 'TestS3::test_s3_invalid_content_md5', entry),
  aws: { status: 400, code },
  act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'something', headers: { 'content-md5': value } }),
});

export const PUT_CASES: CorpusCase[] = [
  ...checksum('SHA256'),
  ...checksum('CRC32C'),
  ...checksum('CRC32'),
  {
    id: 'put-two-checksums',
    operation: 'PutObject',
    source: snapshot(S3, 'TestS3PutObjectChecksum::test_s3_checksum_no_algorithm', 'put-2-checksums'),
    aws: { status: 400, code: 'InvalidRequest' },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: data, headers: { 'x-amz-checksum-sha256': NOT_A_DIGEST, 'x-amz-checksum-crc32': NOT_A_DIGEST } }),
  },
  {
    id: 'put-sha256-right',
    operation: 'PutObject',
    source: snapshot(S3, 'TestS3PutObjectChecksum::test_s3_checksum_no_algorithm', 'put-right-checksum'),
    aws: { status: 200 },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: data, headers: { 'x-amz-checksum-sha256': digest.sha256(data) } }),
    also: (a) => expect(a.headers['x-amz-checksum-sha256']).toBe(digest.sha256(data)),
  },
  md5('put-md5-not-base64', 'md5-error-0', '__invalid__', 'InvalidDigest'),
  md5('put-md5-short', 'md5-error-3', 'MTIz', 'InvalidDigest'),
  md5('put-md5-not-md5', 'md5-error-4', Buffer.from('test-string').toString('base64'), 'InvalidDigest'),
  md5('put-md5-mismatch', 'md5-error-bad-digest', digest.md5('something1'), 'BadDigest'),
  {
    id: 'put-if-none-match-existing',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_none_match', 'put-obj-if-none-match'),
    aws: { status: 412, code: 'PreconditionFailed' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key, 'first', { 'if-none-match': '*' });
      return s3.send({ method: 'PUT', key, body: 'second', headers: { 'if-none-match': '*' } });
    },
  },
  {
    id: 'put-if-none-match-etag',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_none_match_validation', 'put-obj-if-none-match-bad-value'),
    aws: { status: 501, code: 'NotImplemented' },
    act: async ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-none-match': await steps.put(s3, key) } }),
  },
  {
    id: 'put-if-match-wrong-etag',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_match', 'put-obj-if-match-wrong-etag'),
    aws: { status: 412, code: 'PreconditionFailed' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key);
      return s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-match': EMPTY_ETAG } });
    },
  },
  {
    id: 'put-if-match-right-etag',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_match', 'put-obj-overwrite'),
    aws: { status: 200 },
    act: async ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-match': await steps.put(s3, key) } }),
  },
  {
    id: 'put-if-match-missing-key',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_match', 'put-obj-if-match-key-not-exists'),
    aws: { status: 404, code: 'NoSuchKey' },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-match': EMPTY_ETAG } }),
  },
  {
    id: 'put-if-match-star',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_match_validation', 'put-obj-if-match-star-value'),
    aws: { status: 501, code: 'NotImplemented' },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-match': '*' } }),
  },
  {
    id: 'put-if-match-and-if-none-match',
    operation: 'PutObject',
    source: snapshot(API, 'TestS3ObjectWritePrecondition::test_put_object_if_match_and_if_none_match_validation', 'put-obj-both-precondition'),
    aws: { status: 501, code: 'NotImplemented' },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: 'x', headers: { 'if-match': '"abc"', 'if-none-match': '*' } }),
  },
  {
    id: 'put-without-content-length',
    operation: 'PutObject',
    source: { doc: 'Error responses, MissingContentLength (411 Length Required)', url: ERRORS },
    aws: { status: 411, code: 'MissingContentLength' },
    act: ({ s3, key }) => s3.send({ method: 'PUT', key, body: data, chunked: true }),
  },
  {
    id: 'put-key-too-long',
    operation: 'PutObject',
    source: { doc: 'Error responses, KeyTooLongError (400); Naming objects: keys up to 1,024 bytes', url: ERRORS },
    aws: { status: 400, code: 'KeyTooLongError' },
    act: ({ s3, prefix }) => s3.send({ method: 'PUT', key: prefix + 'k/'.repeat(512), body: data }),
  },
  {
    id: 'put-object-lock-without-digest',
    operation: 'PutObject',
    source: {
      doc: 'PutObject, Content-MD5: required with Object Lock retention',
      url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html',
    },
    aws: { status: 400, code: 'InvalidRequest' },
    act: ({ raw, key }) => raw.send({ method: 'PUT', key, body: data }),
  },
];
