/** Presigned URL failures, reads of missing keys and buckets, ranges and read conditions. */
import { snapshot, type CorpusCase } from './case.js';
import { steps } from './harness.js';

const S3 = 'test_s3.snapshot.json';
const PRESIGNED = 'TestS3PresignedUrl';
const HOUR_AGO = () => new Date(Date.now() - 3600_000);
const DAY_AGO = () => new Date(Date.now() - 24 * 3600_000).toUTCString();

export const READ_CASES: CorpusCase[] = [
  {
    id: 'presigned-get-expired',
    operation: 'GetObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_s3_presigned_url_expired[s3v4]`, 'expired-exception'),
    aws: { status: 403, code: 'AccessDenied' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key, 'something');
      return s3.presigned({ method: 'GET', key, expiresIn: 2, signingDate: HOUR_AGO() });
    },
    also: (a) => expect(a.body).toContain('Request has expired'),
  },
  {
    id: 'presigned-get-bad-signature',
    operation: 'GetObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_presigned_url_signature_authentication[s3v4-False]`, 'invalid-get-1'),
    aws: { status: 403, code: 'SignatureDoesNotMatch' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key, '123');
      return s3.presigned({ method: 'GET', key, tamper: (u) => u.searchParams.set('X-Amz-Expires', '61') });
    },
  },
  {
    id: 'presigned-put-other-content-type',
    operation: 'PutObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_presigned_url_signature_authentication[s3v4-False]`, 'invalid-put-1'),
    aws: { status: 403, code: 'SignatureDoesNotMatch' },
    act: ({ s3, key }) =>
      s3.presigned({ method: 'PUT', key, body: 'abc', headers: { 'content-type': 'text/plain' }, sendHeaders: { 'content-type': 'my-fake-content/type' } }),
  },
  {
    id: 'presigned-missing-date',
    operation: 'GetObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_s3_put_presigned_url_missing_sig_param[s3v4]`, 'missing-param-exception'),
    aws: { status: 400, code: 'AuthorizationQueryParametersError' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key, 'something');
      return s3.presigned({ method: 'GET', key, tamper: (u) => u.searchParams.delete('X-Amz-Date') });
    },
  },
  {
    id: 'presigned-put-signed-header-missing',
    operation: 'PutObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_put_url_metadata_with_sig_s3v4[True]`, 'no-meta-headers'),
    aws: { status: 403, code: 'SignatureDoesNotMatch' },
    act: ({ s3, key }) => s3.presigned({ method: 'PUT', key, body: 'content 123', headers: { 'x-amz-meta-foo': 'bar' }, sendHeaders: {} }),
  },
  {
    id: 'presigned-put-unsigned-header',
    operation: 'PutObject (presigned)',
    source: snapshot(S3, `${PRESIGNED}::test_put_url_metadata_with_sig_s3v4[True]`, 'wrong-meta-headers'),
    aws: { status: 403, code: 'AccessDenied' },
    act: ({ s3, key }) =>
      s3.presigned({ method: 'PUT', key, body: 'content 123', headers: { 'x-amz-meta-foo': 'bar' }, sendHeaders: { 'x-amz-meta-wrong': 'wrong' } }),
    also: (a) => expect(a.body).toContain('There were headers present in the request which were not signed'),
  },
  {
    id: 'head-missing-key',
    operation: 'HeadObject',
    source: snapshot(S3, 'TestS3::test_head_object_fields', 'head-object-404'),
    aws: { status: 404 },
    act: ({ s3, key }) => s3.send({ method: 'HEAD', key }),
  },
  {
    id: 'get-missing-key',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_s3_uppercase_key_names', 'wrong-case-key'),
    aws: { status: 404, code: 'NoSuchKey' },
    act: async ({ s3, prefix }) => {
      await steps.put(s3, prefix + 'camelCaseKey', 'something');
      return s3.send({ method: 'GET', key: prefix + 'camelcasekey' });
    },
  },
  {
    id: 'get-range-of-missing-key',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_range_key_not_exists', 'exc'),
    aws: { status: 404, code: 'NoSuchKey' },
    act: ({ s3, key }) => s3.send({ method: 'GET', key, headers: { range: 'bytes=1024-4096' } }),
  },
  {
    id: 'get-range-past-the-end',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_invalid_range_error', 'exc'),
    aws: { status: 416, code: 'InvalidRange' },
    act: async ({ s3, key }) => {
      await steps.put(s3, key, 'abcdefgh');
      return s3.send({ method: 'GET', key, headers: { range: 'bytes=1024-4096' } });
    },
  },
  {
    id: 'get-no-such-bucket',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_get_object_no_such_bucket', 'expected_error'),
    aws: { status: 404, code: 'NoSuchBucket' },
    act: ({ s3, key }) => s3.send({ method: 'GET', key, bucket: 'recpipe-no-such-bucket' }),
  },
  {
    id: 'list-no-such-bucket',
    operation: 'ListObjectsV2',
    source: snapshot(S3, 'TestS3::test_bucket_does_not_exist', 'list_object'),
    aws: { status: 404, code: 'NoSuchBucket' },
    act: ({ s3 }) => s3.send({ method: 'GET', key: '', bucket: 'recpipe-no-such-bucket', query: { 'list-type': '2' } }),
  },
  {
    id: 'get-if-match-other-etag',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_s3_get_object_preconditions[get_object]', 'precondition-if-match'),
    aws: { status: 412, code: 'PreconditionFailed' },
    // As recorded: every condition at once, If-Match decides.
    act: async ({ s3, key }) => {
      const etag = await steps.put(s3, key, 'data');
      const now = new Date().toUTCString();
      return s3.send({
        method: 'GET',
        key,
        headers: { 'if-match': 'etag123', 'if-none-match': etag, 'if-modified-since': now, 'if-unmodified-since': DAY_AGO() },
      });
    },
  },
  {
    id: 'get-if-none-match-same-etag',
    operation: 'GetObject',
    source: snapshot(S3, 'TestS3::test_s3_get_object_preconditions[get_object]', 'precondition-if-none-match'),
    aws: { status: 304 },
    act: async ({ s3, key }) => {
      const etag = await steps.put(s3, key, 'data');
      return s3.send({ method: 'GET', key, headers: { 'if-none-match': etag, 'if-modified-since': new Date().toUTCString() } });
    },
  },
];
