/**
 * The validator's filesystem edge: lists a session folder without following links, reads the
 * metadata file, and hands both to the pure core. Reads only; never changes the folder.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { escapeHidden } from '../../core/hidden-chars.js';
import { schemaErrors, type MetadataSchema } from '../../core/session/schema.js';
import { metadataCandidates, validateFolder, type EntryKind, type FolderEntry } from '../../core/session/validate.js';
import type { ValidationResult } from '../../core/session/validation-types.js';

export interface ValidateOptions {
  schema?: MetadataSchema;
  markerFile?: string;
}

export async function validateSessionDir(dirArg: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const dir = resolve(dirArg);
  const name = basename(dir);
  let st;
  try {
    st = await lstat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problems: [
        {
          path: dir,
          code: 'folder.missing',
          message: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`,
          fix: 'check the path',
          severity: 'error',
        },
      ],
    };
  }
  if (st.isSymbolicLink() || !st.isDirectory()) {
    return {
      ok: false,
      problems: [
        {
          path: dir,
          code: 'folder.not_directory',
          message: st.isSymbolicLink() ? 'is a symbolic link, not a folder' : 'is not a folder',
          fix: 'pass the session folder itself',
          severity: 'error',
        },
      ],
    };
  }
  const entries: FolderEntry[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    const s = await lstat(path);
    const kind: EntryKind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
    entries.push({ name: d.name, path, kind, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, ctimeMs: s.ctimeMs });
  }
  const metas = metadataCandidates(entries);
  let metadataText: string | undefined;
  if (metas.length === 1 && metas[0].size <= 1024 * 1024) {
    try {
      metadataText = await readFile(metas[0].path, 'utf8');
    } catch (e) {
      return {
        ok: false,
        problems: [
          {
            path: metas[0].path,
            code: 'metadata.unreadable',
            message: `cannot be read (${(e as NodeJS.ErrnoException).code})`,
            fix: 'check its permissions',
            severity: 'error',
          },
        ],
      };
    }
  }
  return validateFolder({ dir, name, entries, metadataText, schema: options.schema, markerFile: options.markerFile });
}

/** Reads and checks a metadata schema file; a bad one is a config error naming the path. */
export async function loadMetadataSchema(path: string): Promise<MetadataSchema> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new RecpipeError('config', `cannot use metadata schema ${path}: ${(e as Error).message}`, {
      hint: 'point metadataSchema / --schema at a readable JSON file',
    });
  }
  const errors = schemaErrors(parsed);
  if (errors.length > 0)
    throw new RecpipeError('config', `metadata schema ${path}: ${errors.join('; ')}`, { hint: 'see docs/data-format.md for the schema format' });
  return parsed as MetadataSchema;
}

/** One printable line per problem; a warning whose data will not be processed says so first. */
export function formatProblem(p: { path: string; message: string; fix: string; severity: string; consequence?: string; blocking?: boolean }): string {
  const tag = p.severity === 'warning' ? (p.consequence === 'not_processed' ? 'warning (data will not be processed): ' : 'warning: ') : '';
  return `${tag}${problemLine(p)}`;
}

/** A problem as one line without its severity (for a reporter that marks warnings itself). */
export function problemLine(p: { path: string; message: string; fix: string; blocking?: boolean }): string {
  // The path is the rig's own file name: shown with invisible characters spelled out, on one line.
  return `${escapeHidden(p.path)}: ${p.message}${p.blocking ? ' (blocks: the lab schema marks this rule as blocking)' : ''} (fix: ${p.fix})`;
}
