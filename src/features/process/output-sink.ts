/**
 * The sink processing outputs go through: each output is uploaded to the lake as it is
 * produced (a streamed put), and becomes visible only after the attempt's lease is confirmed
 * (the streamed put's `beforeComplete`; small outputs confirm before their PUT). A worker that
 * lost its lease therefore leaves no output object behind, except in the instant between the
 * confirmation and the completion. Queries still see nothing before the index is written.
 */
import type { ObjectStore } from '../../core/ports.js';
import { createHash } from 'node:crypto';
import type { OutputSink } from './steps/processor.js';
import type { Lease } from './lease.js';

export interface PublishedOutput {
  name: string;
  key: string;
  bytes: number;
  sha256: string;
}

export function lakeSink(lake: ObjectStore, keyOf: (name: string) => string, lease: Lease): OutputSink & { outputs: PublishedOutput[] } {
  const outputs: PublishedOutput[] = [];
  return {
    outputs,
    async stream(name, body, sizeHint) {
      const key = keyOf(name);
      const r = await lake.putStream(key, body, { sizeHint, beforeComplete: () => lease.confirm() });
      outputs.push({ name, key, bytes: r.size, sha256: r.sha256 });
    },
    async put(name, body) {
      const key = keyOf(name);
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      await lease.confirm();
      await lake.put(key, bytes);
      outputs.push({ name, key, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    },
  };
}
