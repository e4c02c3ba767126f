/**
 * Names an incoming request by its S3 operation (PutObject, UploadPart, ...), for fault matching,
 * request counts and refusals. The shapes themselves are listed once, in routes.ts.
 */
import { routeOf } from './routes.js';

/** The S3 operations the stand-in tells apart (served or not, routes.ts). */
export type S3Operation =
  | 'PutObject'
  | 'CopyObject'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListObjects'
  | 'ListObjectsV1'
  | 'ListMultipartUploads'
  | 'HeadBucket'
  | 'Other';

/** The operation a request shape names ('Other' when routes.ts does not know it). */
export function operationOf(method: string, key: string, query: Map<string, string>, headers = {}): S3Operation {
  return routeOf(method, key, query, headers)?.operation ?? 'Other';
}
