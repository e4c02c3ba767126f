/**
 * The session validator's pure core: given what the folder holds, list every problem. The fs
 * edge (src/features/session/validate-session-dir.ts) gathers the entries and the metadata text.
 */
import { fileNameProblem, quoteName, MAX_FILE_NAME_BYTES } from '../names.js';
import { parseSessionName, recordedAt } from './name.js';
import { isMetadataFileName, parseMetadata } from './metadata.js';
import { binaryLayout, checkVariables, type MetadataSchema } from './schema.js';
import type { ManifestWarning, SessionVariables } from './manifest-types.js';
import { applyPolicy } from './severity.js';
import type { Problem, SessionFile, ValidationResult } from './validation-types.js';

export type EntryKind = 'file' | 'symlink' | 'directory' | 'other';

export interface FolderEntry {
  name: string;
  path: string;
  kind: EntryKind;
  size: number;
  mtimeMs: number;
  /** Inode and status-change time: with size and mtime, the file's identity for the upload journal. */
  ino?: number;
  ctimeMs?: number;
}

/** OS clutter that is skipped (with a warning) rather than uploaded. */
const JUNK = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);
export const MAX_METADATA_BYTES = 1024 * 1024;

export interface ValidateInput {
  dir: string;
  name: string;
  entries: FolderEntry[];
  /** Metadata text when exactly one metadata file was found and read. */
  metadataText?: string;
  schema?: MetadataSchema;
  markerFile?: string;
}

const err = (path: string, code: string, message: string, fix: string, extra: Partial<Problem> = {}): Problem => ({
  path,
  code,
  message,
  fix,
  severity: 'error',
  ...extra,
});

/** The metadata files among the entries (regular files only). */
export function metadataCandidates(entries: FolderEntry[]): FolderEntry[] {
  return entries.filter((e) => e.kind === 'file' && isMetadataFileName(e.name));
}

export function validateFolder(input: ValidateInput): ValidationResult {
  const problems: Problem[] = [];
  const name = parseSessionName(input.name);
  if (!name.ok)
    problems.push(
      err(
        input.dir,
        'name.invalid',
        `invalid session name "${input.name}": ${name.problem}`,
        'rename the folder to its local start time, YYYYMMDD_HHMMSS (e.g. 20210228_161221)',
        { value: input.name },
      ),
    );
  const files: SessionFile[] = [];
  for (const e of [...input.entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name === input.markerFile) continue;
    if (JUNK.has(e.name)) {
      problems.push({ path: e.path, code: 'file.junk', message: 'operating-system clutter, not uploaded', fix: 'nothing to do', severity: 'warning' });
      continue;
    }
    const bad = fileNameProblem(e.name);
    if (bad)
      problems.push(
        err(
          e.path,
          'file.bad_name',
          `file name ${quoteName(e.name)} ${bad}`,
          `rename the file to a plain name (no separators, control or invisible characters, at most ${MAX_FILE_NAME_BYTES} bytes)`,
          { value: e.name },
        ),
      );
    else if (e.kind === 'symlink')
      problems.push(
        err(
          e.path,
          'file.symlink',
          'is a symbolic link; links are not followed (they could point outside the session)',
          'copy the file into the folder instead of linking it',
        ),
      );
    else if (e.kind === 'directory')
      problems.push(err(e.path, 'file.directory', 'is a sub-folder; sessions are flat folders', 'move its files up into the session folder, or out of it'));
    else if (e.kind === 'other')
      problems.push(err(e.path, 'file.not_regular', 'is not a regular file (socket, FIFO or device)', 'remove it from the session folder'));
    // An empty file has no bytes to protect: it is skipped with a warning (the policy), not uploaded.
    else if (e.size === 0 && !isMetadataFileName(e.name))
      problems.push(err(e.path, 'file.empty', 'is empty; not uploaded', 'check the recording finished; remove the file if it is not data'));
    else
      files.push({
        name: e.name,
        path: e.path,
        role: isMetadataFileName(e.name) ? 'metadata' : 'data',
        size: e.size,
        mtimeMs: e.mtimeMs,
        ino: e.ino,
        ctimeMs: e.ctimeMs,
      });
  }
  const metas = metadataCandidates(input.entries).filter((e) => !fileNameProblem(e.name));
  let variables: SessionVariables = { numeric: {}, text: {} };
  if (metas.length === 0) problems.push(err(input.dir, 'metadata.missing', 'no metadata file', 'add metadata.txt ("key: value" lines) or metadata.json'));
  else if (metas.length > 1)
    problems.push(
      err(
        input.dir,
        'metadata.ambiguous',
        `${metas.length} metadata files: ${metas.map((m) => m.name).join(', ')}`,
        'keep exactly one metadata file per session',
      ),
    );
  else if (metas[0].size === 0)
    problems.push(err(metas[0].path, 'metadata.missing', 'the metadata file is empty', 'write the session\'s variables into it ("key: value" lines)'));
  else if (metas[0].size > MAX_METADATA_BYTES)
    problems.push(
      err(metas[0].path, 'metadata.too_large', `is ${metas[0].size} bytes, more than ${MAX_METADATA_BYTES}`, 'keep metadata small; put data in data files'),
    );
  else if (input.metadataText !== undefined) {
    const parsed = parseMetadata(metas[0].path, input.metadataText);
    problems.push(...parsed.problems, ...checkVariables(metas[0].path, parsed.variables, input.schema));
    variables = parsed.variables;
    const layout = binaryLayout(parsed.variables);
    const bins = files.filter((f) => f.role === 'data' && /\.bin$/i.test(f.name));
    if (!layout && bins.length > 0)
      problems.push(
        err(
          metas[0].path,
          'data.not_decodable',
          `your data will NOT be processed by the built-in decoder: the metadata gives no valid channels / sample_format, so the built-in decoder cannot read ${bins.map((f) => f.name).join(', ')} (the session is archived as recorded)`,
          'add "channels: N" (and "sample_format: int16le", int32le, float32le or float64le) to the metadata file before it is uploaded',
          { consequence: 'not_processed' },
        ),
      );
    if (layout) {
      const frame = layout.channels * layout.bytesPerSample;
      for (const f of files) {
        if (f.role === 'data' && /\.bin$/i.test(f.name) && f.size % frame !== 0) {
          const tail = f.size % frame;
          problems.push(
            err(
              f.path,
              'data.partial_frame',
              `size ${f.size} is not a multiple of ${frame} bytes (${layout.channels} channels x ${layout.bytesPerSample} bytes): the last ${tail} bytes are a frame cut short and are not decoded`,
              'nothing to do if the recording was cut short; otherwise correct channels/sample_format in the metadata',
            ),
          );
        }
      }
    }
  }
  if (!files.some((f) => f.role === 'data') && !problems.some((p) => p.code.startsWith('file.')))
    problems.push(err(input.dir, 'data.missing', 'no data files', 'a session needs at least one non-empty data file'));
  const judged = applyPolicy(problems);
  if (judged.some((p) => p.severity === 'error') || !name.ok) return { ok: false, problems: judged };
  return {
    ok: true,
    problems: judged,
    session: {
      dir: input.dir,
      session: input.name,
      recordedAt: recordedAt(name.value),
      metadataFile: metas[0].name,
      variables,
      files,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
      warnings: judged.map((p) => manifestWarning(p, input.dir)),
    },
  };
}

/** A warning as the manifest carries it: the file by its name inside the folder, never a rig path. */
function manifestWarning(p: Problem, dir: string): ManifestWarning {
  const file = p.path.startsWith(dir + '/') || p.path.startsWith(dir + '\\') ? p.path.slice(dir.length + 1) : undefined;
  return { code: p.code, ...(file ? { file } : {}), ...(p.field ? { field: p.field } : {}), message: `${p.message} (fix: ${p.fix})` };
}
