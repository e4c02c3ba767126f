/**
 * Building and comparing manifests. Equality ignores when and by which client a manifest was
 * made: two manifests describe the same session when files (name, size, SHA-256), metadata file
 * and variables agree.
 */
import { MANIFEST_SCHEMA, type Manifest, type ManifestFile } from '../session/manifest-types.js';
import type { ValidatedSession } from '../session/validation-types.js';

export interface BuildManifestInput {
  session: ValidatedSession;
  rig: string;
  sha256: Record<string, string>;
  client: Manifest['client'];
  createdAt: string;
  /** Files stored under an attempt's key, by name. */
  attempts?: Record<string, string | undefined>;
}

export function buildManifest(i: BuildManifestInput): Manifest {
  const files: ManifestFile[] = i.session.files.map((f) => {
    const attempt = i.attempts?.[f.name];
    return { name: f.name, role: f.role, size: f.size, sha256: i.sha256[f.name], ...(attempt ? { attempt } : {}) };
  });
  for (const f of files) if (!/^[0-9a-f]{64}$/.test(f.sha256 ?? '')) throw new Error(`no SHA-256 for ${f.name}`);
  return {
    schema: MANIFEST_SCHEMA,
    sessionId: `${i.rig}/${i.session.session}`,
    rig: i.rig,
    session: i.session.session,
    recordedAt: i.session.recordedAt,
    metadataFile: i.session.metadataFile,
    variables: i.session.variables,
    files,
    fileCount: files.length,
    totalBytes: files.reduce((n, f) => n + f.size, 0),
    client: i.client,
    createdAt: i.createdAt,
    ...(i.session.warnings?.length ? { warnings: i.session.warnings } : {}),
  };
}
