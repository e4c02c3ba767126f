/** The audit's raw-store checks, pure: every pinned object present, the right size, the right bytes; nothing stray. */
import { rawKeySessionId, rawObjectName, rawObjectPath } from '../layout.js';
import type { LedgerEntry } from '../catalog/types.js';
import type { AuditInput } from './audit-input.js';
import type { Finding } from './findings.js';

/** Findings for missing, resized, re-hashed-wrong and stray raw objects, and stale multipart uploads. */
export function checkRaw(input: AuditInput, young: (t: number) => boolean, inFlight: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const known = new Set<string>();
  for (const [id, s] of input.manifests) {
    const prefix = input.rawPrefixOf(id);
    // The integrity flag: processing hashed every byte and found these files differ from the manifest.
    const flagged = integrityFlags(input.ledger.get(id));
    known.add(prefix + '_manifest.json');
    for (const k of s.revisionKeys ?? []) known.add(k);
    const seen = new Set<string>();
    // Every revision's objects, held and superseded ones too: raw bytes are checked whether served or not.
    for (const f of s.pinned ?? s.manifest.files) {
      const key = prefix + rawObjectPath(f);
      known.add(key);
      if (seen.has(key)) continue;
      seen.add(key);
      const obj = input.rawObjects.get(key);
      const hash = input.rawHashes.get(key);
      if (!obj) findings.push({ category: 'raw_missing', sessionId: id, key, message: `listed in the manifest but absent from the raw store` });
      else if (obj.size !== f.size)
        findings.push({ category: 'raw_size_mismatch', sessionId: id, key, message: `size ${obj.size} in the store, ${f.size} in the manifest` });
      else if (hash !== undefined && hash !== f.sha256)
        findings.push({ category: 'raw_checksum_mismatch', sessionId: id, key, message: `SHA-256 ${hash} in the store, ${f.sha256} in the manifest` });
      else if (hash === undefined && flagged.get(key)?.manifest_sha256 === f.sha256)
        findings.push({
          category: 'raw_checksum_mismatch',
          sessionId: id,
          key,
          message: `SHA-256 ${flagged.get(key)!.stored_sha256} in the store, ${f.sha256} in the manifest (found by processing; nothing of the session was registered)`,
        });
    }
  }
  const orphans = new Map<string, { keys: string[]; newest: number }>();
  for (const [key, obj] of input.rawObjects) {
    if (known.has(key)) continue;
    const sid = rawKeySessionId(key);
    const listed = input.manifests.get(sid);
    if (listed) {
      const late = storedAfterCommit(input, sid, key, obj.lastModified, listed.committedAt);
      if (late?.inFlight) inFlight.add(sid);
      else if (late) findings.push({ category: 'orphan_raw_object', sessionId: sid, key, message: late.message });
      if (late) continue;
    }
    // A committed file's earlier bytes, superseded by a re-send before the commit: kept on
    // purpose (raw bytes are never deleted), not a gap.
    const stored = listed && rawObjectName(key.slice(input.rawPrefixOf(sid).length));
    if (stored && (listed.pinned ?? listed.manifest.files).some((f) => f.name === stored.name)) continue;
    const o = orphans.get(sid) ?? { keys: [], newest: 0 };
    o.keys.push(key);
    o.newest = Math.max(o.newest, obj.lastModified);
    orphans.set(sid, o);
  }
  for (const [sid, o] of orphans) {
    if (young(o.newest) && !input.manifests.has(sid)) inFlight.add(sid);
    else
      for (const key of o.keys)
        findings.push({
          category: 'orphan_raw_object',
          sessionId: sid,
          key,
          message: input.manifests.has(sid) ? 'not listed in its session manifest' : 'belongs to no committed session (abandoned upload?)',
        });
  }
  for (const u of input.staleUploads)
    if (!young(u.initiated))
      findings.push({
        category: 'stale_upload',
        key: u.key,
        message: `multipart upload ${u.uploadId} started ${new Date(u.initiated).toISOString()} never completed`,
      });
  return findings;
}

/** The files a session's ledger entry flags as hashing differently from its manifest, by key. */
function integrityFlags(entry: LedgerEntry | undefined): Map<string, NonNullable<LedgerEntry['integrity']>[number]> {
  return new Map(entry?.state === 'incomplete' ? (entry.integrity ?? []).map((i) => [i.key, i]) : []);
}

/**
 * An object no manifest lists, stored after its session's newest commit: a later revision's bytes
 * on their way (attempt keys, while young: in flight), or something no manifest will ever list: an
 * abandoned revision upload, or bytes sent with a URL signed before the commit (issue 26).
 * Undefined for an object stored before the commit. Multipart objects carry the time their upload
 * started, so only the completion checks catch those.
 */
function storedAfterCommit(
  input: AuditInput,
  sid: string,
  key: string,
  storedAt: number,
  committedAt: number,
): { inFlight: true } | { inFlight: false; message: string } | undefined {
  if (storedAt <= committedAt) return undefined;
  const attempt = rawObjectName(key.slice(input.rawPrefixOf(sid).length))?.attempt !== undefined;
  if (attempt && input.now - storedAt < input.graceMs) return { inFlight: true };
  const at = new Date(storedAt).toISOString();
  const message = attempt
    ? `stored ${at}, after the session's newest commit, and listed by no manifest (an abandoned revision upload, or a URL signed before the commit)`
    : `stored ${at}, after the session was committed, and listed by no manifest (a URL signed before the commit); it is never catalogued or processed`;
  return { inFlight: false, message };
}
