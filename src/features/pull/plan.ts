/**
 * Where each indexed file lands under the destination, checked so that no catalog value can
 * place a file outside it: dest/<rig>/<session>/<pipeline>/<version>/<file>.
 */
import { join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { assertFileName, assertRigName } from '../../core/names.js';
import { pipelineSegment, splitSessionId } from '../../core/layout.js';
import { sessionTimestamp } from '../../core/session/name.js';
import type { ProcessedFileRow } from '../../core/catalog/types.js';
import { recordVariables } from '../../core/query/records.js';

/**
 * One output to download: its index row, without the creation time, its session's variables and
 * revision, and (for a snapshot's file no longer at its key) the key its bytes are kept under.
 */
export type PullItem = Omit<ProcessedFileRow, 'created_at'> & {
  variables?: Record<string, string | number>;
  revision?: number | null;
  /** Where to read the bytes when not at `key` (processed/_kept/<sha256>, see docs/catalog-schema.md). */
  source?: string;
};

export function destinationOf(dest: string, f: PullItem): string {
  const { rig, session } = splitSessionId(f.session_id) ?? {};
  if (rig === undefined || session === undefined) throw new RecpipeError('integrity', `index row has a bad session id ${JSON.stringify(f.session_id)}`);
  assertRigName(rig);
  sessionTimestamp(session);
  if (!/^[0-9a-f]{64}$/.test(f.sha256) || !Number.isSafeInteger(f.bytes) || f.bytes < 0)
    throw new RecpipeError('integrity', `index row for ${f.key} has no valid size or SHA-256`);
  return join(
    dest,
    rig,
    session,
    pipelineSegment(f.pipeline, 'pipeline name'),
    pipelineSegment(f.pipeline_version, 'pipeline version'),
    // Archived outputs keep the names they were given (a name stored before hidden characters were refused).
    assertFileName(f.file, { archived: true }),
  );
}

/** Reads the JSON printed by `recpipe query --json` (or a bare list of file rows). */
export function parseQueryJson(text: string): PullItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new RecpipeError('usage', `the input is not JSON: ${(e as Error).message}`, {
      hint: 'pipe the output of `recpipe query --json` into `recpipe pull --input -`',
    });
  }
  const files = Array.isArray(parsed) ? parsed : (parsed as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new RecpipeError('usage', 'the input has no "files" list', { hint: 'pipe the output of `recpipe query --json`' });
  // Query records carry the session variables as columns; they travel into recpipe-pull.json.
  return files.map((f) => {
    // Where bytes are read from is decided by recpipe (snapshots), never by an input file.
    const { source: _ignored, ...item } = f as PullItem;
    const revision = item.revision === undefined || item.revision === null ? null : Number(item.revision);
    return { ...item, bytes: Number(item.bytes), revision, variables: recordVariables(f as Record<string, unknown>) };
  });
}
