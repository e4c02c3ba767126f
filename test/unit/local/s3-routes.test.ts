/** The gateway's one table of request shapes: served ones, known-but-refused ones, and the rest. */
import { ROUTES, routeOf, unservedShape } from '../../../src/local/s3/routes.js';

const q = (pairs: Record<string, string> = {}) => new Map(Object.entries(pairs));

describe('gateway routes', () => {
  it('serves exactly the operations recpipe sends, whatever presigned or SDK hint parameters ride along', () => {
    // Prepare
    const presigned = { 'X-Amz-Signature': 'x', 'X-Amz-Credential': 'c', 'x-id': 'PutObject' };
    const served = ROUTES.filter((r) => r.served)
      .map((r) => r.operation)
      .sort();
    // Act
    const put = routeOf('PUT', 'k', q(presigned));
    const part = routeOf('PUT', 'k', q({ ...presigned, partNumber: '1', uploadId: 'u' }));
    const list = routeOf('GET', '', q({ 'list-type': '2', prefix: 'raw/', 'continuation-token': 't', 'encoding-type': 'url' }));
    // Assert
    expect(served).toEqual([
      'AbortMultipartUpload',
      'CompleteMultipartUpload',
      'CreateMultipartUpload',
      'DeleteObject',
      'DeleteObjects',
      'GetObject',
      'HeadObject',
      'ListMultipartUploads',
      'ListObjects',
      'PutObject',
      'UploadPart',
    ]);
    expect([put?.operation, part?.operation, list?.operation]).toEqual(['PutObject', 'UploadPart', 'ListObjects']);
  });

  it('names shapes S3 knows but the stand-in does not serve, and refuses unknown ones by default', () => {
    // Act
    const copy = routeOf('PUT', 'k', q(), { 'x-amz-copy-source': 'b/other' });
    const listParts = routeOf('GET', 'k', q({ uploadId: 'u' }));
    const tagging = routeOf('PUT', 'k', q({ tagging: '' }));
    const v1 = routeOf('GET', '', q({ prefix: 'p' }));
    const getVersion = routeOf('GET', 'k', q({ versionId: 'v' }));
    // Assert
    expect([copy?.operation, copy?.served, listParts?.operation, listParts?.served, v1?.operation]).toEqual([
      'CopyObject',
      false,
      'ListParts',
      false,
      'ListObjectsV1',
    ]);
    expect(tagging).toBeUndefined();
    expect(getVersion).toBeUndefined();
    expect(unservedShape('PUT', 'k', q({ tagging: '' }), tagging)).toMatchObject({ status: 501, code: 'NotImplemented' });
    expect(unservedShape('PUT', 'k', q({ tagging: '' }), tagging).message).toContain('PUT on an object with ?tagging');
    expect(unservedShape('GET', 'k', q({ uploadId: 'u' }), listParts).message).toContain('ListParts');
  });

  it('refuses deletes on the raw bucket by route, and checks keys on every object route', () => {
    // Act
    const deletes = ROUTES.filter((r) => r.deniedOnRaw).map((r) => r.operation);
    const objectRoutesWithoutKeyCheck = ROUTES.filter((r) => r.served && r.target === 'object' && r.checks.length === 0);
    // Assert
    expect(deletes.sort()).toEqual(['DeleteObject', 'DeleteObjects']);
    expect(objectRoutesWithoutKeyCheck).toEqual([]);
  });
});
