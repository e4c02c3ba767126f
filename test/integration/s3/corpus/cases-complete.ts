/** CompleteMultipartUpload: upload binding, part list, conditions, length. */
import { snapshot, type CorpusCase } from './case.js';
import { steps } from './harness.js';
import { onePart, threeParts } from './uploads.js';

const S3 = 'test_s3.snapshot.json';
const API = 'test_s3_api.snapshot.json';
const PRECONDITIONS = 'TestS3ObjectWritePrecondition';

export const COMPLETE_CASES: CorpusCase[] = [
  {
    id: 'complete-unknown-upload',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_multipart_no_such_upload', 'complete-exc'),
    aws: { status: 404, code: 'NoSuchUpload' },
    act: ({ s3, key }) => steps.complete(s3, key, 'fakeid', undefined),
  },
  {
    id: 'complete-upload-of-other-key',
    operation: 'CompleteMultipartUpload',
    source: { ...snapshot(S3, 'TestS3::test_multipart_key_validation', 'complete-multipart-wrong-key-name'), unlisted: true },
    aws: { status: 404, code: 'NoSuchUpload' },
    act: async ({ s3, key, prefix }) => steps.complete(s3, prefix + 'fake-fake-name', await steps.create(s3, key), []),
  },
  {
    id: 'complete-no-parts',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_multipart_complete_multipart_too_small', 'complete-exc-no-parts'),
    aws: { status: 400, code: 'InvalidRequest' },
    act: async (c) => steps.complete(c.s3, c.key, (await onePart(c)).id, undefined),
  },
  {
    id: 'complete-parts-too-small',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_multipart_complete_multipart_too_small', 'complete-exc-too-small'),
    aws: { status: 400, code: 'EntityTooSmall' },
    act: async (c) => {
      const { id, etag } = await onePart(c);
      const second = await steps.uploaded(c.s3, c.key, id, 2, 'data');
      return steps.complete(c.s3, c.key, id, [
        { n: 1, etag },
        { n: 2, etag: second },
      ]);
    },
  },
  {
    id: 'complete-part-never-uploaded',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_multipart_complete_multipart_wrong_part', 'complete-exc-wrong-part-number'),
    aws: { status: 400, code: 'InvalidPart' },
    act: async (c) => {
      const { id, etag } = await onePart(c);
      return steps.complete(c.s3, c.key, id, [{ n: 2, etag }]);
    },
  },
  {
    id: 'complete-wrong-etag',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_multipart_complete_multipart_wrong_part', 'complete-exc-wrong-etag'),
    aws: { status: 400, code: 'InvalidPart' },
    act: async (c) => steps.complete(c.s3, c.key, (await onePart(c)).id, [{ n: 1, etag: 'd41d8cd98f00b204e9800998ecf8427e' }]),
  },
  {
    id: 'complete-descending-parts',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_complete_multipart_parts_order', 'complete-multipart-unordered'),
    aws: { status: 400, code: 'InvalidPartOrder' },
    act: async (c) => {
      const { id, parts } = await threeParts(c);
      return steps.complete(c.s3, c.key, id, [...parts].reverse());
    },
  },
  {
    id: 'complete-ascending-parts',
    operation: 'CompleteMultipartUpload',
    source: snapshot(S3, 'TestS3::test_complete_multipart_parts_order', 'complete-multipart-ordered'),
    aws: { status: 200 },
    act: async (c) => {
      const { id, parts } = await threeParts(c);
      return steps.complete(c.s3, c.key, id, parts);
    },
  },
  {
    id: 'complete-repeated-part',
    operation: 'CompleteMultipartUpload',
    source: {
      doc: 'Error responses, InvalidPartOrder: parts not in ascending order',
      url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
    },
    aws: { status: 400, code: 'InvalidPartOrder' },
    act: async (c) => {
      const { id, parts } = await threeParts(c);
      return steps.complete(c.s3, c.key, id, [parts[0], parts[0], parts[1]]);
    },
  },
  {
    id: 'complete-if-none-match-put-during',
    operation: 'CompleteMultipartUpload',
    source: snapshot(API, `${PRECONDITIONS}::test_multipart_if_none_match_with_put`, 'complete-multipart-if-none-match-put-during'),
    aws: { status: 412, code: 'PreconditionFailed' },
    act: async (c) => {
      const { id, etag } = await onePart(c, 'test');
      await steps.put(c.s3, c.key);
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag }], { 'if-none-match': '*' });
    },
  },
  {
    id: 'complete-if-match-put-before',
    operation: 'CompleteMultipartUpload',
    source: snapshot(API, `${PRECONDITIONS}::test_multipart_if_match_with_put`, 'complete-multipart-if-match-put-before'),
    aws: { status: 412, code: 'PreconditionFailed' },
    act: async (c) => {
      const first = await steps.put(c.s3, c.key, 'test');
      const { id, etag } = await onePart(c, 'test');
      await steps.put(c.s3, c.key, 'test2');
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag }], { 'if-match': first });
    },
  },
  {
    id: 'complete-if-match-after-delete',
    operation: 'CompleteMultipartUpload',
    source: snapshot(API, `${PRECONDITIONS}::test_multipart_if_match_with_delete`, 'complete-multipart-after-del'),
    aws: { status: 404, code: 'NoSuchKey' },
    act: async (c) => {
      const first = await steps.put(c.s3, c.key, 'test');
      const { id, etag } = await onePart(c, 'test');
      await c.s3.send({ method: 'DELETE', key: c.key });
      return steps.complete(c.s3, c.key, id, [{ n: 1, etag }], { 'if-match': first });
    },
  },
  {
    id: 'complete-without-content-length',
    operation: 'CompleteMultipartUpload',
    source: { doc: 'Error responses, MissingContentLength (411 Length Required)', url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html' },
    aws: { status: 411, code: 'MissingContentLength' },
    act: async (c) => {
      const { id, etag } = await onePart(c);
      return c.s3.send({
        method: 'POST',
        key: c.key,
        query: { uploadId: id },
        body: `<CompleteMultipartUpload><Part><ETag>${etag}</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`,
        chunked: true,
      });
    },
  },
];
