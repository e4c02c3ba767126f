/**
 * Sending one file of a session, the shared context and the single PUT (whole-file SHA-256
 * signed); multipart files: send-multipart.ts. URLs come from the session's URL broker
 * (url-broker.ts), signed ahead in batches. Both ways are idempotent: a retry after a success
 * whose answer was lost ends in success, not in "already exists".
 */
import type { PresignedRequest } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import type { Journal } from '../../core/ingest/journal-types.js';
import type { Logger } from '../../core/ports.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import type { AbortScope } from './abort-scope.js';
import type { BufferPool } from './buffer-pool.js';
import type { PartSizer } from './part-sizer.js';
import type { TokenSource } from './token-source.js';
import type { UploadDeps, UploadOptions } from './upload-session.js';
import type { UrlBroker } from './url-broker.js';
import { isSlowDown, type Window } from './window.js';

/** The upload's retry policy; `signal`: the part's own (abort-scope.ts), the upload's by default. */
export type Retry = <T>(what: string, fn: () => Promise<T>, onRetry?: (e: RecpipeError) => void, signal?: AbortSignal) => Promise<T>;

export interface SendContext {
  deps: UploadDeps;
  tokens: TokenSource;
  retry: Retry;
  journal: Journal;
  /** PUTs in flight, lowered on 503 SlowDown. */
  window: Window;
  session: string;
  options: UploadOptions;
  pool: BufferPool;
  /** Times the PUTs, to choose the part size of files planned later. */
  sizer: PartSizer;
  broker: UrlBroker;
  /** A signal per request, one listener on the upload's. */
  scope: AbortScope;
  progress: (n: number) => void;
  log: Logger;
}

export async function sendSingle(c: SendContext, f: SessionFile): Promise<void> {
  const attempt = c.journal.files[f.name].attempt;
  await c.window.with(() =>
    c.scope.run((signal) => {
      let url: PresignedRequest | undefined;
      return c.retry(
        `upload ${f.name}`,
        async () => {
          url ??= await c.broker.putUrl(f.name);
          try {
            await c.deps.transport.put(url, { path: f.path, start: 0, size: f.size }, signal, c.options.throttle);
          } catch (e) {
            // "Exists" on a retry: the first PUT stored it and its answer was lost. The key was free
            // when this run began sending (upload-session.ts checks), so the object is this file's
            // bytes (the PUT binds their SHA-256) when it has their size.
            if (!(e instanceof RecpipeError && e.code === 'conflict')) throw e;
            const state = await c.deps.api.sessionState((await c.tokens.get()).token, c.session);
            const size = attempt
              ? state.attempts?.find((o) => o.attempt === attempt && o.name === f.name)?.size
              : state.objects.find((o) => o.name === f.name)?.size;
            if (size !== f.size) throw e;
            c.log.log('warn', 'upload.put_already_stored', { file: f.name });
          }
        },
        (e) => {
          if (e.details?.urlExpired) url = undefined;
          slowDown(c)(e);
        },
        signal,
      );
    }),
  );
  c.window.succeeded();
  c.progress(f.size);
}

/** On 503 SlowDown, fewer PUTs in flight (each retry also waits its backoff). */
export const slowDown = (c: SendContext) => (e: RecpipeError) => {
  if (!isSlowDown(e)) return;
  c.window.slowDown();
  c.log.log('warn', 'upload.slow_down', { partsInFlight: c.window.limit });
};

/** The error for a file that changed while it was read: nothing is committed, a re-run sends it again. */
export function changed(f: SessionFile, why: string): RecpipeError {
  return new RecpipeError('integrity', `${f.path}: ${why}; nothing was committed`, {
    hint: 'wait until the rig has finished writing the session, then upload again',
    retryable: false,
  });
}
