/**
 * Whether two manifests describe the same session content: files (name, size, sha256),
 * variables and metadataFile. createdAt and client may differ (a re-upload from another host).
 */
import type { Manifest } from '../../core/session/manifest-types.js';
import { canonicalJson } from './canonical-json.js';

export interface ManifestDiff {
  same: boolean;
  /** Names of files missing from one side or with a different size or sha256. */
  files: string[];
  variables: boolean;
  metadataFile: boolean;
}

export function compareManifests(stored: Manifest, sent: Manifest): ManifestDiff {
  const a = new Map((stored.files ?? []).map((f) => [f.name, f]));
  const b = new Map(sent.files.map((f) => [f.name, f]));
  const files = [...new Set([...a.keys(), ...b.keys()])]
    .filter((n) => {
      const x = a.get(n);
      const y = b.get(n);
      return !x || !y || x.size !== y.size || x.sha256 !== y.sha256;
    })
    .sort();
  const variables = canonicalJson(stored.variables) !== canonicalJson(sent.variables);
  const metadataFile = stored.metadataFile !== sent.metadataFile;
  return { same: files.length === 0 && !variables && !metadataFile, files, variables, metadataFile };
}

export function describeDiff(d: ManifestDiff): string {
  const parts: string[] = [];
  if (d.files.length > 0) parts.push(`files differ: ${d.files.slice(0, 10).join(', ')}${d.files.length > 10 ? ', ...' : ''}`);
  if (d.variables) parts.push('metadata variables differ');
  if (d.metadataFile) parts.push('metadata file differs');
  return parts.join('; ');
}
