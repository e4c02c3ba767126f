/**
 * One error model for the whole tool. Every failure the user can see is a RecpipeError with a
 * stable code, who is at fault, whether retrying can help, and a hint that says what to change.
 * Anything else that reaches the CLI edge is a bug and is shown with its stack under --debug.
 */

/** Who has to act: the user (bad input, config) or the system (network, server, bug). */
export type Fault = 'user' | 'system';

/** Stable error codes; the exit code of each is fixed in EXIT_CODES below. */
export type ErrorCode =
  | 'usage'
  | 'config'
  | 'invalid_session'
  | 'invalid_name'
  | 'not_found'
  | 'conflict'
  | 'integrity'
  | 'auth'
  | 'forbidden'
  | 'token_expired'
  | 'unavailable'
  | 'locked'
  | 'quota'
  | 'no_space'
  | 'interrupted'
  | 'failed'
  | 'gaps'
  | 'internal';

export interface RecpipeErrorOptions {
  fault?: Fault;
  retryable?: boolean;
  hint?: string;
  cause?: unknown;
  /** Machine-readable details for --json output and logs (never secrets). */
  details?: Record<string, unknown>;
}

export class RecpipeError extends Error {
  readonly code: ErrorCode;
  readonly fault: Fault;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: RecpipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RecpipeError';
    this.code = code;
    this.fault = options.fault ?? defaultFault(code);
    this.retryable = options.retryable ?? (code === 'unavailable' || code === 'token_expired');
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, fault: this.fault, retryable: this.retryable, hint: this.hint, details: this.details };
  }
}

function defaultFault(code: ErrorCode): Fault {
  return ['unavailable', 'internal', 'failed', 'interrupted'].includes(code) ? 'system' : 'user';
}

/**
 * Exit codes, in one table (documented in the README).
 * 0 success; 1 the work failed; 2 usage or configuration; 3 integrity or conflict (data does not
 * match what it should, nothing was overwritten); 4 audit found gaps; 5 service unreachable after
 * retries; 6 another instance holds the lock; 130 interrupted.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  usage: 2,
  config: 2,
  invalid_name: 2,
  invalid_session: 1,
  not_found: 1,
  failed: 1,
  auth: 1,
  forbidden: 1,
  token_expired: 1,
  no_space: 1,
  quota: 1,
  internal: 1,
  conflict: 3,
  integrity: 3,
  gaps: 4,
  unavailable: 5,
  locked: 6,
  interrupted: 130,
};

export const isRecpipeError = (e: unknown): e is RecpipeError => e instanceof RecpipeError;

/** Message of any throwable, for logs and wrapped errors. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
