/**
 * Server-side check of a manifest sent to POST /v1/commit. The rig must be the token's rig
 * (403); every other problem is collected and reported at once (400, invalid_session).
 */
import { RecpipeError } from '../../core/errors.js';
import { fileNameProblem } from '../../core/names.js';
import { MANIFEST_SCHEMA, type Manifest } from '../../core/session/manifest-types.js';
import { parseSessionName } from '../../core/session/name.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export function validateManifest(value: unknown, tokenRig: string): Manifest {
  if (!isObject(value)) throw invalid(['manifest must be a JSON object']);
  if (value.rig !== tokenRig) {
    throw new RecpipeError('forbidden', `manifest rig ${JSON.stringify(value.rig)} is not the rig of this token (${tokenRig})`, {
      hint: 'a rig can only commit its own sessions; use that rig\'s API key',
    });
  }
  const p: string[] = [];
  if (value.schema !== MANIFEST_SCHEMA) p.push(`schema must be "${MANIFEST_SCHEMA}" (got ${JSON.stringify(value.schema)})`);
  const session = typeof value.session === 'string' ? value.session : '';
  const parsed = parseSessionName(session);
  if (!parsed.ok) p.push(`session ${JSON.stringify(value.session)}: ${parsed.problem}`);
  if (value.sessionId !== `${tokenRig}/${session}`) p.push(`sessionId must be "${tokenRig}/${session}" (got ${JSON.stringify(value.sessionId)})`);
  if (typeof value.recordedAt !== 'string' || !LOCAL_TIME.test(value.recordedAt)) p.push('recordedAt must be YYYY-MM-DDTHH:MM:SS');
  if (typeof value.createdAt !== 'string') p.push('createdAt must be an ISO-8601 string');
  if (!isObject(value.client)) p.push('client must be an object');
  p.push(...variableProblems(value.variables));
  const names = fileProblems(value.files, p);
  if (typeof value.metadataFile !== 'string' || !names.has(value.metadataFile)) p.push(`metadataFile ${JSON.stringify(value.metadataFile)} must be one of the listed files`);
  if (Array.isArray(value.files)) {
    if (value.fileCount !== value.files.length) p.push(`fileCount ${JSON.stringify(value.fileCount)} differs from the ${value.files.length} listed files`);
    const total = value.files.reduce((s: number, f: { size?: unknown }) => s + (typeof f?.size === 'number' ? f.size : 0), 0);
    if (value.totalBytes !== total) p.push(`totalBytes ${JSON.stringify(value.totalBytes)} differs from the sum of file sizes ${total}`);
  }
  if (p.length > 0) throw invalid(p);
  return value as unknown as Manifest;
}

function fileProblems(files: unknown, p: string[]): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(files) || files.length === 0) {
    p.push('files must be a non-empty array');
    return names;
  }
  files.forEach((f: unknown, i) => {
    if (!isObject(f)) return void p.push(`files[${i}] must be an object`);
    const name = typeof f.name === 'string' ? f.name : '';
    const problem = typeof f.name === 'string' ? fileNameProblem(name) : 'is not a string';
    if (problem) p.push(`files[${i}].name ${JSON.stringify(String(f.name).slice(0, 80))} ${problem}`);
    else if (names.has(name)) p.push(`files[${i}].name ${JSON.stringify(name)} is listed twice`);
    names.add(name);
    if (f.role !== 'data' && f.role !== 'metadata') p.push(`files[${i}].role must be "data" or "metadata"`);
    if (typeof f.size !== 'number' || !Number.isSafeInteger(f.size) || f.size < 0) p.push(`files[${i}].size must be a whole number >= 0`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) p.push(`files[${i}].sha256 must be 64 lowercase hex characters`);
  });
  return names;
}

function variableProblems(v: unknown): string[] {
  if (!isObject(v) || !isObject(v.numeric) || !isObject(v.text)) return ['variables must be {"numeric": {...}, "text": {...}}'];
  const p: string[] = [];
  for (const [k, n] of Object.entries(v.numeric)) if (typeof n !== 'number' || !Number.isFinite(n)) p.push(`variables.numeric.${k} must be a finite number`);
  for (const [k, s] of Object.entries(v.text)) if (typeof s !== 'string') p.push(`variables.text.${k} must be a string`);
  return p;
}

function invalid(problems: string[]): RecpipeError {
  return new RecpipeError('invalid_session', `invalid manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`, {
    hint: 'rebuild the manifest with `recpipe upload` (it validates the session first)',
    details: { problems },
  });
}
