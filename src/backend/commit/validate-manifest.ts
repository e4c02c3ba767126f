/**
 * Server-side check of a manifest sent to POST /v1/commit: the server trusts nothing the client
 * computed. The rig must be the token's rig (403); every other problem is collected and reported
 * at once (400, invalid_session). The manifest stored is rebuilt from known fields only, with
 * `recordedAt` derived from the session name, so nothing unchecked reaches the raw bucket or the
 * catalog. Variables obey the same rules the client applies (core/session/variable-rules.ts).
 */
import { RecpipeError } from '../../core/errors.js';
import { ATTEMPT_ID } from '../../core/layout.js';
import { fileNameProblem, quoteName } from '../../core/names.js';
import { MANIFEST_SCHEMA, type Manifest, type ManifestFile, type ManifestWarning } from '../../core/session/manifest-types.js';
import { parseSessionName, recordedAt } from '../../core/session/name.js';
import { checkVariables } from '../../core/session/schema.js';
import { variablesProblems } from '../../core/session/variable-rules.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
// eslint-disable-next-line no-control-regex -- any host name or version, without control characters
const CLIENT_TEXT = /^[^\u0000-\u001f\u007f]{1,255}$/;
/** Most files one session may list (the request body limit of 1 MiB allows about 5,000). */
export const MAX_MANIFEST_FILES = 10_000;
/** Most warnings one manifest may carry (a rig reports at most a few per file). */
export const MAX_MANIFEST_WARNINGS = 1_000;
const WARNING_CODE = /^[a-z]+(\.[a-z_]+){1,3}$/;
// eslint-disable-next-line no-control-regex -- one printable line
const WARNING_TEXT = /^[^\u0000-\u001f\u007f]{1,1000}$/;

export function validateManifest(value: unknown, tokenRig: string): Manifest {
  if (!isObject(value)) throw invalid(['manifest must be a JSON object']);
  if (value.rig !== tokenRig) {
    throw new RecpipeError('forbidden', `manifest rig ${JSON.stringify(value.rig)?.slice(0, 80)} is not the rig of this token (${tokenRig})`, {
      hint: "a rig can only commit its own sessions; use that rig's API key",
    });
  }
  const p: string[] = [];
  if (value.schema !== MANIFEST_SCHEMA) p.push(`schema must be "${MANIFEST_SCHEMA}" (got ${JSON.stringify(value.schema)?.slice(0, 80)})`);
  const session = typeof value.session === 'string' ? value.session : '';
  const parsed = parseSessionName(session);
  if (!parsed.ok) p.push(`session ${JSON.stringify(value.session)?.slice(0, 80)}: ${parsed.problem}`);
  if (value.sessionId !== `${tokenRig}/${session}`) p.push(`sessionId must be "${tokenRig}/${session}" (got ${JSON.stringify(value.sessionId)?.slice(0, 80)})`);
  if (typeof value.createdAt !== 'string' || !ISO_TIME.test(value.createdAt)) p.push('createdAt must be an ISO-8601 time with a zone');
  const client = clientOf(value.client, p);
  const variables = variablesOf(value.variables, p);
  const files = filesOf(value.files, p);
  const names = new Set(files.map((f) => f.name));
  const warnings = withReservedFieldWarnings(warningsOf(value.warnings, p), variables);
  if (typeof value.metadataFile !== 'string' || !names.has(value.metadataFile))
    p.push(`metadataFile ${JSON.stringify(value.metadataFile)?.slice(0, 80)} must be one of the listed files`);
  if (value.fileCount !== files.length) p.push(`fileCount ${JSON.stringify(value.fileCount)} differs from the ${files.length} listed files`);
  const total = files.reduce((s, f) => s + f.size, 0);
  if (value.totalBytes !== total) p.push(`totalBytes ${JSON.stringify(value.totalBytes)} differs from the sum of file sizes ${total}`);
  const revision = value.revision;
  if (revision !== undefined && (!Number.isInteger(revision) || (revision as number) < 2 || (revision as number) > 999_999_999))
    p.push(`revision ${JSON.stringify(revision)?.slice(0, 40)} must be a whole number from 2 (leave it out for the first commit)`);
  if (p.length > 0 || !parsed.ok) throw invalid(p);
  return {
    schema: MANIFEST_SCHEMA,
    sessionId: `${tokenRig}/${session}`,
    rig: tokenRig,
    session,
    // Derived, not taken from the client: the catalog partitions on it.
    recordedAt: recordedAt(parsed.value),
    metadataFile: value.metadataFile as string,
    variables,
    files,
    fileCount: files.length,
    totalBytes: total,
    client: client!,
    createdAt: value.createdAt as string,
    // Content problems the rig found: the session is archived anyway, with them (core/session/severity.ts).
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(revision !== undefined ? { revision: revision as number } : {}),
  };
}

/**
 * The server does not trust the client to have reported the content problems it can see itself:
 * values of the reserved fields that describe the binary data (channels, sample_format) are
 * checked again and any the manifest did not carry are added, so the catalog shows them.
 */
function withReservedFieldWarnings(warnings: ManifestWarning[], variables: Manifest['variables']): ManifestWarning[] {
  const seen = new Set(warnings.map((w) => `${w.code} ${w.field ?? ''}`));
  const extra = checkVariables('manifest', variables).filter((r) => !seen.has(`${r.code} ${r.field ?? ''}`));
  return warnings.concat(extra.map((r) => ({ code: r.code, ...(r.field ? { field: r.field } : {}), message: `${r.message} (fix: ${r.fix})` })));
}

/** Rebuilt from known fields only; each must be one printable line (they reach the catalog and terminals). */
function warningsOf(w: unknown, p: string[]): ManifestWarning[] {
  if (w === undefined) return [];
  if (!Array.isArray(w) || w.length > MAX_MANIFEST_WARNINGS) {
    p.push(`warnings must be an array of at most ${MAX_MANIFEST_WARNINGS} warnings`);
    return [];
  }
  const out: ManifestWarning[] = [];
  w.forEach((x: unknown, i) => {
    if (!isObject(x)) return void p.push(`warnings[${i}] must be an object`);
    if (typeof x.code !== 'string' || !WARNING_CODE.test(x.code)) p.push(`warnings[${i}].code must be a problem code like "data.partial_frame"`);
    if (typeof x.message !== 'string' || !WARNING_TEXT.test(x.message)) p.push(`warnings[${i}].message must be 1-1000 characters without control characters`);
    if (x.file !== undefined && (typeof x.file !== 'string' || fileNameProblem(x.file))) p.push(`warnings[${i}].file must be a plain file name`);
    if (x.field !== undefined && (typeof x.field !== 'string' || !WARNING_TEXT.test(x.field) || x.field.length > 200))
      p.push(`warnings[${i}].field must be 1-200 characters without control characters`);
    out.push({
      code: x.code as string,
      ...(typeof x.file === 'string' ? { file: x.file } : {}),
      ...(typeof x.field === 'string' ? { field: x.field } : {}),
      message: x.message as string,
    });
  });
  return out;
}

function clientOf(c: unknown, p: string[]): Manifest['client'] | undefined {
  if (!isObject(c)) return void p.push('client must be an object');
  if (c.name !== 'recpipe') p.push('client.name must be "recpipe"');
  if (c.transport !== 'api' && c.transport !== 'direct') p.push('client.transport must be "api" or "direct"');
  for (const k of ['version', 'host'] as const)
    if (typeof c[k] !== 'string' || !CLIENT_TEXT.test(c[k])) p.push(`client.${k} must be 1-255 characters without control characters`);
  return { name: 'recpipe', version: c.version as string, host: c.host as string, transport: c.transport as 'api' | 'direct' };
}

function variablesOf(v: unknown, p: string[]): Manifest['variables'] {
  if (!isObject(v) || !isObject(v.numeric) || !isObject(v.text)) {
    p.push('variables must be {"numeric": {...}, "text": {...}}');
    return { numeric: {}, text: {} };
  }
  const vars = { numeric: v.numeric as Record<string, number>, text: v.text as Record<string, string> };
  p.push(...variablesProblems(vars));
  return vars;
}

function filesOf(files: unknown, p: string[]): ManifestFile[] {
  const out: ManifestFile[] = [];
  if (!Array.isArray(files) || files.length === 0 || files.length > MAX_MANIFEST_FILES) {
    p.push(`files must be an array of 1 to ${MAX_MANIFEST_FILES} files`);
    return out;
  }
  const names = new Set<string>();
  files.forEach((f: unknown, i) => {
    if (!isObject(f)) return void p.push(`files[${i}] must be an object`);
    const name = typeof f.name === 'string' ? f.name : '';
    const problem = typeof f.name === 'string' ? fileNameProblem(name) : 'is not a string';
    if (problem) p.push(`files[${i}].name ${quoteName(String(f.name).slice(0, 80))} ${problem}`);
    else if (names.has(name)) p.push(`files[${i}].name ${JSON.stringify(name)} is listed twice`);
    names.add(name);
    if (f.role !== 'data' && f.role !== 'metadata') p.push(`files[${i}].role must be "data" or "metadata"`);
    if (typeof f.size !== 'number' || !Number.isSafeInteger(f.size) || f.size < 0) p.push(`files[${i}].size must be a whole number >= 0`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) p.push(`files[${i}].sha256 must be 64 lowercase hex characters`);
    if (f.attempt !== undefined && !(typeof f.attempt === 'string' && ATTEMPT_ID.test(f.attempt)))
      p.push(`files[${i}].attempt must be 6 to 32 lowercase letters and digits`);
    const file: ManifestFile = { name, role: f.role as ManifestFile['role'], size: typeof f.size === 'number' ? f.size : 0, sha256: f.sha256 as string };
    // A file re-sent before the commit lives under its attempt's key (layout.rawObjectKey).
    if (typeof f.attempt === 'string') file.attempt = f.attempt;
    out.push(file);
  });
  return out;
}

function invalid(problems: string[]): RecpipeError {
  return new RecpipeError(
    'invalid_session',
    `invalid manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    {
      hint: 'rebuild the manifest with `recpipe upload` (it validates the session first)',
      details: { problems },
    },
  );
}
