/** Reading ledger states, in one place (core/process/ledger.ts writes them). */
import type { LedgerState } from './types.js';

/** Whether a run finished (with or without gaps): such an entry is not run again unless asked or revised. */
export function isFinished(state: LedgerState | undefined): boolean {
  return state === 'done' || state === 'done_with_gaps';
}
