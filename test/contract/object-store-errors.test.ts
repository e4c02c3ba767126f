import { RecpipeError } from '../../src/core/errors.js';
import { translateS3Error } from '../../src/adapters/s3/errors.js';

/** An SDK-shaped service error. */
const sdk = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

/**
 * The one S3 error table (issue 14 item 4): the object store, streamed puts and the presigner
 * all map through it. 403 stays forbidden (on a HEAD S3 also says 403 for a missing key when
 * s3:ListBucket is not granted, so it is never "absent"); BadDigest is a checksum mismatch, not
 * retryable as sent (docs/aws-parity.md rows 6 and 11).
 */
describe('translateS3Error', () => {
  it.each([
    ['NoSuchKey', 404, 'not_found', false],
    ['NotFound', 404, 'not_found', false],
    ['PreconditionFailed', 412, 'conflict', false],
    ['ConditionalRequestConflict', 409, 'conflict', false],
    ['AccessDenied', 403, 'forbidden', false],
    ['Forbidden', 403, 'forbidden', false],
    ['NoSuchUpload', 404, 'not_found', false],
    ['InvalidPart', 400, 'integrity', false],
    ['InvalidPartOrder', 400, 'integrity', false],
    ['EntityTooSmall', 400, 'failed', false],
    ['SignatureDoesNotMatch', 403, 'forbidden', false],
    ['SlowDown', 503, 'unavailable', true],
    ['InternalError', 500, 'unavailable', true],
    ['Throttling', 400, 'unavailable', true],
    ['BadDigest', 400, 'integrity', false],
    ['InvalidDigest', 400, 'integrity', false],
    ['XAmzContentSHA256Mismatch', 400, 'integrity', false],
    ['IncompleteBody', 400, 'integrity', false],
    ['InvalidArgument', 400, 'failed', false],
  ] as const)('%s (%s) -> %s, retryable %s', (name, status, code, retryable) => {
    // Act
    const e = translateS3Error(sdk(name, status), 's3://raw/a b.bin');
    // Assert
    expect(e).toBeInstanceOf(RecpipeError);
    expect(e).toMatchObject({ code, retryable });
    expect(e.message).toContain('s3://raw/a b.bin');
  });

  it.each([
    ['refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['SDK-wrapped reset', new Error('AWS SDK error wrapper for TimeoutError: read ECONNRESET')],
    ['timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('treats a %s as unavailable and retryable', (_what, err) => {
    expect(translateS3Error(err, 's3://lake/k')).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('keeps a RecpipeError as it is and the SDK error as cause', () => {
    const own = new RecpipeError('conflict', 'x');
    expect(translateS3Error(own, 'w')).toBe(own);
    const cause = sdk('NoSuchKey', 404);
    expect(translateS3Error(cause, 'w').cause).toBe(cause);
  });
});
