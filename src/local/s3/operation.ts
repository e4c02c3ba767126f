/**
 * Names an incoming request by its S3 operation (PutObject, UploadPart, ...), for fault
 * matching and request counts. Only the operations recpipe sends are told apart.
 */
export type S3Operation =
  | 'PutObject'
  | 'UploadPart'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListObjects'
  | 'ListMultipartUploads'
  | 'HeadBucket'
  | 'Other';

export function operationOf(method: string, key: string, query: Map<string, string>): S3Operation {
  const upload = query.has('uploadId');
  if (!key) {
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    if (method === 'GET') return query.has('uploads') ? 'ListMultipartUploads' : 'ListObjects';
    if (method === 'HEAD') return 'HeadBucket';
    return 'Other';
  }
  switch (method) {
    case 'PUT':
      return upload ? 'UploadPart' : 'PutObject';
    case 'GET':
      return upload ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return upload ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      return query.has('uploads') ? 'CreateMultipartUpload' : upload ? 'CompleteMultipartUpload' : 'Other';
    default:
      return 'Other';
  }
}
