/**
 * Faults on the way back (GetObject bodies): a download cut after N bytes or a byte flipped
 * in transit, so downloaders' resume and checksum verification can be tested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { FaultAction } from './faults.js';

/** `up`'s body as it should reach the client under `fault` (unchanged when none applies). */
export function faultyBody(up: IncomingMessage, res: ServerResponse, fault: FaultAction | undefined): Readable {
  if (fault?.type !== 'drop-after-bytes' && fault?.type !== 'flip-byte') return up;
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const start = seen;
      seen += chunk.length;
      if (fault.type === 'flip-byte') {
        if (fault.offset >= start && fault.offset < seen) {
          chunk = Buffer.from(chunk);
          chunk[fault.offset - start] ^= 0xff;
        }
        return done(null, chunk);
      }
      if (seen <= fault.bytes) return done(null, chunk);
      // Send what is allowed, then cut the connection like a network drop.
      res.write(chunk.subarray(0, Math.max(0, fault.bytes - start)), () => res.destroy());
      up.destroy();
      done();
    },
  });
  return up.pipe(t);
}
