/** The audit's rig checks, pure: each rig folder against the session's newest archived revision. */
import type { AuditInput } from './audit-input.js';
import type { Finding } from './findings.js';

/** Findings for rig folders not uploaded, holding content not archived yet, or whose committed bytes changed. */
export function checkRig(input: AuditInput, young: (t: number) => boolean, inFlight: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const s of input.local ?? []) {
    const m = input.manifests.get(s.sessionId);
    if (!m) {
      if (young(s.changedAt)) inFlight.add(s.sessionId);
      else
        findings.push({ category: 'local_not_uploaded', sessionId: s.sessionId, message: 'on the rig but not committed in the raw store', repair: 'reupload' });
      continue;
    }
    // Compared with the newest revision: content archived as a revision is no difference. Files
    // gone from the rig are not either (every revision keeps what was archived).
    const remote = new Map((m.newest ?? m.manifest).files.map((f) => [f.name, f]));
    // Same name and size, other bytes: a bit flip on the rig's disk or a rewrite in place. A
    // person decides which copy is right, so --repair does not re-upload it.
    for (const f of s.files) {
      const r = remote.get(f.name);
      if (r && r.size === f.size && f.sha256 && f.sha256 !== r.sha256)
        findings.push({
          category: 'local_content_differs',
          sessionId: s.sessionId,
          key: f.name,
          message: `${f.name} on the rig has SHA-256 ${f.sha256}, the archive has ${r.sha256} (same size, ${f.size} bytes)`,
        });
    }
    const diffs = s.files.filter((f) => !remote.has(f.name) || remote.get(f.name)!.size !== f.size);
    if (diffs.length > 0) {
      if (young(s.changedAt)) inFlight.add(s.sessionId);
      else
        findings.push({
          category: 'local_differs',
          sessionId: s.sessionId,
          message: `rig copy holds content not archived yet (the next revision): ${diffs.map((f) => f.name).join(', ')}`,
          repair: 'reupload',
        });
    }
  }
  return findings;
}
