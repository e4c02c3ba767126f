/**
 * `recpipe-pull.json`: what a pull staged and what produced it, so a training run can say where
 * its data came from: the query (filters, SQL, an --input file or a snapshot), the recpipe
 * version and profile, and per file its session, the session revision, the pipeline version,
 * key, size, SHA-256 and the session's variables.
 */
import { VERSION } from '../../version.js';
import type { PullItem } from './plan.js';

/** What chose the files. */
export type PullQuery =
  { filters: string[]; from?: string; to?: string; pipelineVersion?: string; ignoreCase?: boolean } | { input: string } | { snapshot: string };

/** Where the files came from, written into the manifest. */
export interface PullOrigin {
  query: PullQuery;
  profile: string;
}

/** The manifest's content for these files (paths relative to the destination). */
export function pullManifest(files: { rel: string; f: PullItem }[], origin: PullOrigin | undefined, pulledAt: Date): Record<string, unknown> {
  return {
    pulledAt: pulledAt.toISOString(),
    recpipeVersion: VERSION,
    ...(origin ? { profile: origin.profile, query: origin.query } : {}),
    files: files.map(({ rel, f }) => ({
      path: rel,
      sessionId: f.session_id,
      revision: f.revision ?? null,
      pipeline: f.pipeline,
      pipelineVersion: f.pipeline_version,
      key: f.key,
      bytes: f.bytes,
      sha256: f.sha256,
      variables: f.variables ?? {},
    })),
  };
}
