/**
 * Issue 30: with 16 parts in flight the engine put a listener per request on the upload's one
 * AbortSignal, and Node printed "MaxListenersExceededWarning: Possible EventTarget memory leak
 * detected. 11 abort listeners added to [AbortSignal]". Here that warning is an error: an upload
 * through the real stack, with more parts in flight than Node's limit (10), must not raise it.
 */
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { JournalStore } from '../../../src/adapters/fs/journal-store.js';
import { HttpIngestApi } from '../../../src/adapters/http/ingest-client.js';
import { silentReporter } from '../../../src/core/ports.js';
import { AbortScope } from '../../../src/features/ingest/abort-scope.js';
import { PutTransport, type Body } from '../../../src/features/ingest/put-transport.js';
import { uploadSession } from '../../../src/features/ingest/upload-session.js';
import type { PresignedRequest } from '../../../src/core/api.js';
import type { Throttle } from '../../../src/features/ingest/throttle.js';
import { localRigKeyPath } from '../../../src/local/stack-info.js';
import { validateSessionDir } from '../../../src/features/session/validate-session-dir.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

const MiB = 1024 * 1024;
let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

/** Counts the PUTs in flight at once. */
class CountingTransport extends PutTransport {
  now = 0;
  most = 0;
  override async put(req: PresignedRequest, body: Body, signal?: AbortSignal, throttle?: Throttle) {
    this.most = Math.max(this.most, ++this.now);
    try {
      return await super.put(req, body, signal, throttle);
    } finally {
      this.now--;
    }
  }
}

describe('abort listeners during an upload', () => {
  it('keeps the upload signal at one listener per scope with 16 parts in flight, and never warns of a leak', async () => {
    // Prepare: warnings about listener leaks throw (EventTarget warns through process.emitWarning).
    const emit = process.emitWarning.bind(process);
    const leaks: string[] = [];
    process.emitWarning = (w: string | Error, ...rest: unknown[]) => {
      const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
      const name = `${typeof w === 'string' ? '' : w.name} ${type ?? ''} ${String(w)}`;
      if (/MaxListenersExceeded/.test(name)) {
        leaks.push(name);
        throw new Error(`listener leak: ${name}`);
      }
      (emit as (...a: unknown[]) => void)(w, ...rest);
    };
    const dir = await generateSession(tempDir('rp-abort-'), { name: '20210315_100000', files: 1, bytesPerFile: 80 * MiB, seed: 15 });
    const v = await validateSessionDir(dir);
    if (!v.ok) throw new Error('the generated session should be valid');
    // A slow store, so that the parts overlap.
    stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20210315_100000/data' }, action: { type: 'delay', ms: 250 } });
    const api = new HttpIngestApi(stack.info.api);
    const transport = new CountingTransport();
    const stop = new AbortController();
    let listeners = 0;
    const sample = setInterval(() => (listeners = Math.max(listeners, getEventListeners(stop.signal, 'abort').length)), 2);
    try {
      // Act
      const r = await uploadSession(
        v.session,
        {
          api,
          apiKey: readFileSync(localRigKeyPath(stack.home), 'utf8').trim(),
          journals: new JournalStore(stack.home, nullLogger),
          transport,
          reporter: silentReporter,
          logger: nullLogger,
          signal: stop.signal,
        },
        { partSize: 5 * MiB, multipartThreshold: 5 * MiB, concurrency: 16, memoryBudget: 16 * 5 * MiB },
      );
      // Assess
      expect(r.status).toBe('uploaded');
      expect(transport.most).toBeGreaterThan(10);
      expect(leaks).toEqual([]);
      // The broker's and the part scope's own listeners; none per request.
      expect(listeners).toBeLessThanOrEqual(3);
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    } finally {
      clearInterval(sample);
      process.emitWarning = emit;
      stack.s3.faults.clear();
      transport.close();
      api.close();
    }
  });

  it('gives each run its own signal, aborted with the parent, with one listener on the parent however many run', async () => {
    const parent = new AbortController();
    const scope = new AbortScope(parent.signal);
    const seen: AbortSignal[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const runs = Array.from({ length: 50 }, () => scope.run(async (s) => (seen.push(s), await held)));
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    expect(scope.size).toBe(50);
    parent.abort(new Error('stop'));
    expect(seen.every((s) => s.aborted && (s.reason as Error).message === 'stop')).toBe(true);
    release();
    await Promise.all(runs);
    expect(scope.size).toBe(0);
    scope.close();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});
