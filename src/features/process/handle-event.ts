/**
 * The trigger: an object-created event (local gateway or S3 notification). Keys arrive
 * URL-encoded ('+' for spaces); only a manifest key or a decision key, re-validated, starts
 * processing (an accepted revision becomes the served one, so its session is processed again).
 */
import { decisionKeyInfo, decodeEventKey, manifestKeyInfo, type SessionRef } from '../../core/layout.js';

/** The session whose manifest (or revision decision) this event announces, or undefined for any other object. */
export function manifestEventSession(event: { key: string }): SessionRef | undefined {
  let key: string;
  try {
    key = decodeEventKey(event.key);
  } catch {
    return undefined;
  }
  // Every revision's manifest announces work: a new revision is processed again.
  return (manifestKeyInfo(key) ?? decisionKeyInfo(key))?.ref;
}
