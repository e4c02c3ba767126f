/**
 * A person's decision on a held revision: the object written once at `decisions/<rig>/<session>/<n>.json`
 * in the raw bucket (core/layout.ts). It names the manifest it judged by its SHA-256, so a decision
 * can never be read as being about other bytes.
 */
import { anything, conforms, fieldsOf, int, mapOf, oneOf, opt, sha256Hex, str, type Shape } from '../shape.js';

export const DECISION_SCHEMA = 'recpipe.decision/1';

export type Verdict = 'accept' | 'reject';

export interface Decision {
  schema: typeof DECISION_SCHEMA;
  sessionId: string;
  revision: number;
  decision: Verdict;
  /** SHA-256 (hex) of the revision manifest's stored bytes: the decision is about exactly those. */
  manifestSha256: string;
  /** Who decided, as they named themselves (`user@host`); the store's access log names the principal. */
  by: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Why, in the person's words (optional). */
  reason?: string;
}

/** Every field of a decision, for the last check (the ones that decide are checked first, with their own messages). */
const DECISION_SHAPE: Shape<Decision> = fieldsOf<Decision>()({
  schema: oneOf(DECISION_SCHEMA),
  sessionId: str,
  revision: int,
  decision: oneOf('accept', 'reject'),
  manifestSha256: sha256Hex,
  by: str,
  at: str,
  reason: opt(str),
});

/** A decision as read from the store, or a one-line reason it cannot be used. */
export function parseDecision(text: string, expect: { sessionId: string; revision: number }): Decision | { problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch {
    return { problem: 'is not JSON' };
  }
  if (!conforms(mapOf(anything), v)) return { problem: 'is not a JSON object' };
  const d = v;
  if (d.schema !== DECISION_SCHEMA) return { problem: `has schema ${JSON.stringify(d.schema)}, expected ${DECISION_SCHEMA}` };
  if (d.sessionId !== expect.sessionId || d.revision !== expect.revision)
    return { problem: `names ${String(d.sessionId)} revision ${String(d.revision)}, not its key's` };
  if (d.decision !== 'accept' && d.decision !== 'reject') return { problem: `decides ${JSON.stringify(d.decision)}, not accept or reject` };
  if (typeof d.manifestSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.manifestSha256)) return { problem: 'names no manifest SHA-256' };
  return conforms(DECISION_SHAPE, d) ? d : { problem: `cannot be read: ${DECISION_SHAPE.check(d, '')}` };
}
