/**
 * The one list of request shapes the stand-in knows (method, bucket or object, query
 * parameters, the copy-source header), which of them it serves, and the AWS rules checked
 * before each one's handler runs. A shape that is not listed, or listed without a handler, is
 * refused with 501 NotImplemented naming it: nothing reaches s3rver unless a route says so.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { S3Operation } from './operation.js';
import type { S3Request } from './request.js';
import { checksumHeaderProblem, objectLockProblem } from './rules/checksum-headers.js';
import { conditionHeaderProblem } from './rules/conditions.js';
import { failure, type S3Failure } from './rules/failure.js';
import { keyProblem, type KeyLimits } from './rules/key.js';
import { encodingTypeProblem } from './rules/listing.js';
import { partNumberProblem } from './rules/multipart.js';

/** A pure AWS rule checked before the handler reads anything. */
export type Check = (r: S3Request, env: { limits: KeyLimits }) => S3Failure | undefined;

/** The operations the gateway serves, each with its own handler. */
export type ServedOperation =
  | 'PutObject'
  | 'UploadPart'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListObjects'
  | 'ListMultipartUploads';

/** One request shape: how to recognise it, whether it is served, the rules checked before its handler. */
export interface Route {
  operation: S3Operation;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  target: 'bucket' | 'object';
  /** Query parameters that must be present, with the value they must have ('' for any). */
  required: Record<string, string>;
  /** Query parameters that may be present besides. */
  optional: readonly string[];
  /** Whether the shape carries x-amz-copy-source (CopyObject, UploadPartCopy). */
  copySource: boolean;
  /** False: S3 knows the shape, the stand-in does not serve it (501 naming the operation). */
  served: boolean;
  /** The raw bucket's policy denies it to everyone but break-glass (403 AccessDenied). */
  deniedOnRaw: boolean;
  /** AWS rules checked in order before the handler. */
  checks: readonly Check[];
}

const key: Check = (r, env) => keyProblem(r.key, env.limits);
const sums: Check = (r) => checksumHeaderProblem(r.req.headers);
const lock: Check = (r) => (r.raw ? objectLockProblem(r.req.headers) : undefined);
const conditions: Check = (r) => conditionHeaderProblem(r.req.headers);
const partNumber: Check = (r) => partNumberProblem(r.q.get('partNumber'));
const encoding: Check = (r) => encodingTypeProblem(r.q);

const LIST_V2 = ['prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner'];
const LIST_UPLOADS = ['prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'];

function route(operation: S3Operation, method: Route['method'], target: Route['target'], o: Partial<Route> = {}): Route {
  return { operation, method, target, required: {}, optional: [], copySource: false, served: true, deniedOnRaw: false, checks: [], ...o };
}

/** Most specific first: the first route whose shape matches serves the request. */
export const ROUTES: readonly Route[] = [
  route('UploadPartCopy', 'PUT', 'object', { required: { partNumber: '', uploadId: '' }, copySource: true, served: false }),
  route('UploadPart', 'PUT', 'object', { required: { partNumber: '', uploadId: '' }, checks: [key, partNumber, sums, lock] }),
  route('CopyObject', 'PUT', 'object', { copySource: true, served: false }),
  route('PutObject', 'PUT', 'object', { checks: [key, conditions, sums, lock] }),
  route('ListParts', 'GET', 'object', { required: { uploadId: '' }, optional: ['max-parts', 'part-number-marker'], served: false }),
  route('GetObject', 'GET', 'object', { checks: [key] }),
  route('HeadObject', 'HEAD', 'object', { checks: [key] }),
  route('AbortMultipartUpload', 'DELETE', 'object', { required: { uploadId: '' }, checks: [key] }),
  route('DeleteObject', 'DELETE', 'object', { deniedOnRaw: true, checks: [key] }),
  route('CreateMultipartUpload', 'POST', 'object', { required: { uploads: '' }, checks: [key] }),
  route('CompleteMultipartUpload', 'POST', 'object', { required: { uploadId: '' }, checks: [key, conditions] }),
  route('ListObjects', 'GET', 'bucket', { required: { 'list-type': '2' }, optional: LIST_V2, checks: [encoding] }),
  route('ListMultipartUploads', 'GET', 'bucket', { required: { uploads: '' }, optional: LIST_UPLOADS, checks: [encoding] }),
  route('ListObjectsV1', 'GET', 'bucket', { optional: ['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'], served: false }),
  route('DeleteObjects', 'POST', 'bucket', { required: { delete: '' }, deniedOnRaw: true }),
  route('HeadBucket', 'HEAD', 'bucket', { served: false }),
];

/** Parameters any request may carry: presigned-URL authentication and the SDK's operation hint. */
const ignored = (name: string) => /^X-Amz-/.test(name) || name === 'x-id';

function matches(rt: Route, method: string, key: string, q: Map<string, string>, h: IncomingHttpHeaders): boolean {
  if (rt.method !== method || (rt.target === 'object') !== (key !== '') || rt.copySource !== (h['x-amz-copy-source'] !== undefined)) return false;
  for (const [name, value] of Object.entries(rt.required)) if (!q.has(name) || (value !== '' && q.get(name) !== value)) return false;
  for (const name of q.keys()) if (!ignored(name) && !(name in rt.required) && !rt.optional.includes(name)) return false;
  return true;
}

/** The route for a request shape, or undefined when S3 shapes of this kind are unknown here. */
export function routeOf(method: string, key: string, q: Map<string, string>, h: IncomingHttpHeaders = {}): Route | undefined {
  return ROUTES.find((rt) => matches(rt, method, key, q, h));
}

/** S3's refusal of a shape the stand-in does not serve, naming it. */
export function unservedShape(method: string, key: string, q: Map<string, string>, rt: Route | undefined): S3Failure {
  const params = [...q.keys()].filter((n) => !ignored(n));
  const what = rt ? rt.operation : `${method} on ${key ? 'an object' : 'a bucket'}${params.length ? ` with ?${params.join('&')}` : ''}`;
  return failure(501, 'NotImplemented', `the local stack does not implement ${what}; it serves only the S3 operations recpipe uses (src/local/s3/routes.ts)`);
}
