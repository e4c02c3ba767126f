/**
 * RecpipeError -> HTTP status and ApiErrorBody. Server-side faults (500) never carry the
 * message or stack to the client: only a generic text, the request id to find the log line,
 * and whether retrying can help (the client follows that flag, not the status alone).
 */
import type { ApiErrorBody } from '../../core/api.js';
import { RecpipeError, type ErrorCode } from '../../core/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  auth: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 409,
  usage: 400,
  invalid_name: 400,
  invalid_session: 400,
  integrity: 400,
  quota: 429,
  unavailable: 503,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function errorBody(e: unknown, requestId: string): { status: number; body: ApiErrorBody } {
  if (e instanceof RecpipeError && statusOf(e.code) !== 500) {
    const status = statusOf(e.code);
    return {
      status,
      body: { error: { code: e.code, message: e.message, hint: e.hint, retryable: e.retryable, details: e.details, requestId } },
    };
  }
  // A RecpipeError that maps to 500 keeps its own verdict on retrying: an S3 4xx that is our bug
  // (e.g. 400 InvalidRequest) must not send every rig into endless retries. Only an unknown
  // throwable, which may be transient, is offered as retryable.
  const retryable = e instanceof RecpipeError ? e.retryable : true;
  return {
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: `internal error (request id ${requestId})`,
        retryable,
        hint: retryable ? undefined : 'retrying will not help: report the request id to whoever runs the API',
        requestId,
      },
    },
  };
}
