/** One request to the gateway, parsed once and handed to the rules and the handler that serve it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultAction } from './faults.js';
import type { S3Failure } from './rules/failure.js';
import { sendS3Error } from './xml.js';

/** The parts of a request every rule and handler reads. */
export interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The raw path as sent, still URI-encoded (what SigV4 signs). */
  rawPath: string;
  /** Decoded query parameters in arrival order, and the same as a map. */
  query: [string, string][];
  q: Map<string, string>;
  bucket: string;
  key: string;
  /** The path and query to send to s3rver (presigned-URL parameters removed). */
  upstreamPath: string;
  /** Whether the bucket is the raw (write-once, Object Lock) bucket. */
  raw: boolean;
  /** The signed payload hash (hex, UNSIGNED-PAYLOAD or a STREAMING- marker), once authenticated. */
  payloadHash: string;
  /** The fault injected into this request, if any (tests). */
  fault?: FaultAction;
}

/** Parses method, path and query; decoding failures throw URIError (answered 400 InvalidURI). */
export function parseRequest(req: IncomingMessage, res: ServerResponse, rawBucket: string): S3Request {
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  const rawPath = qi < 0 ? url : url.slice(0, qi);
  const pieces = (qi < 0 ? '' : url.slice(qi + 1)).split('&').filter(Boolean);
  const query = pieces.map((p) => {
    const eq = p.indexOf('=');
    return [decodeURIComponent(eq < 0 ? p : p.slice(0, eq)), eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1))] as [string, string];
  });
  const kept = pieces.filter((p) => !/^X-Amz-/i.test(p));
  const [, bucket = '', ...rest] = rawPath.split('/');
  const decodedBucket = decodeURIComponent(bucket);
  return {
    req,
    res,
    method: req.method ?? 'GET',
    rawPath,
    query,
    q: new Map(query),
    bucket: decodedBucket,
    key: decodeURIComponent(rest.join('/')),
    upstreamPath: rawPath + (kept.length ? '?' + kept.join('&') : ''),
    raw: decodedBucket === rawBucket,
    payloadHash: '',
  };
}

/** Answers `f` without reading the body (drained, so the connection can be reused). */
export function refuse(r: Pick<S3Request, 'req' | 'res' | 'key'>, f: S3Failure): void {
  r.req.resume();
  sendS3Error(r.res, f.status, f.code, f.message, r.key || undefined, f.extra);
}

/** Answers `f` after the body was read (or is being discarded by the caller). */
export function answer(r: Pick<S3Request, 'res' | 'key'>, f: S3Failure): void {
  sendS3Error(r.res, f.status, f.code, f.message, r.key || undefined, f.extra);
}
