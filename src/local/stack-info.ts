/**
 * How commands find the running local stack: `recpipe local up` writes
 * $RECPIPE_HOME/local/stack.json when ready and removes it on clean shutdown.
 * Credentials here are the local stack's own loopback credentials, not AWS ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecpipeError, RecpipeError } from '../core/errors.js';
import { fieldsOf, int, obj, str } from '../core/shape.js';
import { storedRecord } from '../core/stored-record.js';

export interface StackInfo {
  /** Base URL of the ingestion API, e.g. http://127.0.0.1:41234 */
  api: string;
  /** S3-compatible endpoint (the verifying gateway), e.g. http://127.0.0.1:41235 */
  s3: string;
  region: string;
  buckets: { raw: string; lake: string };
  /** Where the stack keeps its data. */
  dataDir: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  pid: number;
  startedAt: string;
}

export const localDir = (home: string) => join(home, 'local');
export const stackInfoPath = (home: string) => join(localDir(home), 'stack.json');
/** The first enrolled rig key, created by `local up` so a newcomer needs no set-up (mode 0600). */
export const localRigKeyPath = (home: string) => join(localDir(home), 'rig-key');
export const LOCAL_RIG = 'local-rig';

export const STACK_INFO = storedRecord<StackInfo>({
  what: 'local stack file',
  hint: 'stop the local stack and start it again (`recpipe local up`): it rewrites the file',
  shape: fieldsOf<StackInfo>()({
    api: str,
    s3: str,
    region: str,
    buckets: obj({ raw: str, lake: str }),
    dataDir: str,
    credentials: obj({ accessKeyId: str, secretAccessKey: str }),
    pid: int,
    startedAt: str,
  }),
});

/**
 * The running stack's file, or undefined when there is none. A damaged one is handed to
 * `damaged` and read as none (`local up` starts a stack and rewrites it); without `damaged` it is
 * thrown, naming the file and field (a command that needs the stack cannot guess its ports).
 */
export function readStackInfo(home: string, damaged?: (e: RecpipeError) => void): StackInfo | undefined {
  let text: Buffer;
  try {
    text = readFileSync(stackInfoPath(home));
  } catch {
    return undefined;
  }
  try {
    return STACK_INFO.parse(text, stackInfoPath(home));
  } catch (e) {
    if (!isRecpipeError(e) || !damaged) throw e;
    damaged(e);
    return undefined;
  }
}

export function requireStackInfo(home: string): StackInfo {
  const info = readStackInfo(home);
  if (!info) {
    throw new RecpipeError('unavailable', `no local stack is running for RECPIPE_HOME=${home}`, {
      hint: 'start it in another terminal with `recpipe local up` (same RECPIPE_HOME), or use --profile aws',
      retryable: false,
    });
  }
  return info;
}
