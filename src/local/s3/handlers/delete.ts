/** DeleteObject and DeleteObjects, on the lake bucket only (routes.ts refuses them on raw). */
import { answer } from '../request.js';
import { pipeResponse, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import { readXmlBody } from './body.js';
import { isFailure, type Handler } from './handler.js';

/** DeleteObject's handler (lake only). */
export function deleteObject(d: { upstream: Upstream }): Handler {
  return async (r) => {
    r.req.resume();
    await pipeResponse(await sendUpstream(d.upstream, 'DELETE', r.upstreamPath, upstreamHeaders(r.req.headers, true)), r.res);
  };
}

/** DeleteObjects's handler (lake only): the XML body is checked against its payload hash. */
export function deleteObjects(d: { upstream: Upstream }): Handler {
  return async (r) => {
    const body = await readXmlBody(r);
    if (isFailure(body)) return answer(r, body);
    await pipeResponse(await sendUpstream(d.upstream, 'POST', r.upstreamPath, upstreamHeaders(r.req.headers, true), body), r.res);
  };
}
