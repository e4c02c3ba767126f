/**
 * Configuration: defaults < config file < environment (RECPIPE_*) < flags, per profile.
 * Pure: takes already-read layers, returns {config, errors}. Each error names the key, the
 * bad value and where it came from.
 */

export type Profile = 'local' | 'aws';
export const PROFILES: Profile[] = ['local', 'aws'];

export interface Config {
  profile: Profile;
  /** RECPIPE_HOME: every piece of state (config, journal, logs, local stack data) lives under it. */
  home: string;
  apiUrl?: string;
  apiKey?: string;
  region: string;
  s3Endpoint?: string;
  rawBucket: string;
  lakeBucket: string;
  /** Multipart part size, MiB (S3 minimum 5, maximum 5120). */
  partSizeMiB: number;
  /** Files at least this large go multipart, MiB. */
  multipartThresholdMiB: number;
  /** Pull: files in flight at once. (Upload and watch size their parts in flight from uploadMemoryMiB.) */
  concurrency: number;
  /** pull: connections in flight at most, across files. */
  connections: number;
  /** Upload and watch: memory for part buffers, MiB; parts in flight = this / part size. */
  uploadMemoryMiB: number;
  /** Upload and watch: bandwidth cap, "20M" or a day timetable "08:00,5M 20:00,off" (core/ingest/bwlimit.ts). */
  bwlimit?: string;
  /** Watch: run at low CPU and I/O priority (nice 19, ionice best-effort 7) or as started. */
  watchPriority: 'low' | 'normal';
  /** Watcher: a session is ready when nothing changed for this long, seconds. */
  quietPeriodSec: number;
  /** Watcher: a file name whose appearance marks a session complete (optional). */
  markerFile?: string;
  /** Optional JSON schema for metadata variables (required fields, types, ranges). */
  metadataSchema?: string;
  pipeline: string;
  pipelineVersion: string;
  /** External processor command (receives input and output folders); built-in when unset. */
  processorCommand?: string;
  athenaWorkgroup: string;
  glueDatabase: string;
  /** DynamoDB table of enrolled API keys (aws profile; the local profile uses $RECPIPE_HOME/local/keys.json). */
  keysTable: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Revisions that change already-archived bytes: `additive` (default) holds them until a person
   * accepts them (`recpipe revisions accept`); `all` accepts them automatically (the lab's policy).
   */
  acceptRevisions: 'additive' | 'all';
  /** verify: every stored object is re-hashed at least once in this many days. */
  scrubPeriodDays: number;
  /** verify: at most this many GB (10^9 bytes) re-hashed per run, oldest-checked objects first (0: none). */
  scrubBudgetGB: number;
}

type Kind = 'string' | 'int' | 'enum';
interface KeySpec {
  kind: Kind;
  min?: number;
  max?: number;
  values?: readonly string[];
  secret?: boolean;
}

export const KEYS: Record<Exclude<keyof Config, 'home' | 'profile'>, KeySpec> = {
  apiUrl: { kind: 'string' },
  apiKey: { kind: 'string', secret: true },
  region: { kind: 'string' },
  s3Endpoint: { kind: 'string' },
  rawBucket: { kind: 'string' },
  lakeBucket: { kind: 'string' },
  partSizeMiB: { kind: 'int', min: 5, max: 5120 },
  multipartThresholdMiB: { kind: 'int', min: 5, max: 5120 },
  concurrency: { kind: 'int', min: 1, max: 64 },
  connections: { kind: 'int', min: 1, max: 64 },
  uploadMemoryMiB: { kind: 'int', min: 16, max: 4096 },
  bwlimit: { kind: 'string' },
  watchPriority: { kind: 'enum', values: ['low', 'normal'] },
  quietPeriodSec: { kind: 'int', min: 0, max: 86400 },
  markerFile: { kind: 'string' },
  metadataSchema: { kind: 'string' },
  pipeline: { kind: 'string' },
  pipelineVersion: { kind: 'string' },
  processorCommand: { kind: 'string' },
  athenaWorkgroup: { kind: 'string' },
  glueDatabase: { kind: 'string' },
  keysTable: { kind: 'string' },
  logLevel: { kind: 'enum', values: ['debug', 'info', 'warn', 'error'] },
  acceptRevisions: { kind: 'enum', values: ['additive', 'all'] },
  scrubPeriodDays: { kind: 'int', min: 1, max: 3650 },
  scrubBudgetGB: { kind: 'int', min: 0, max: 1_000_000 },
};

export const DEFAULTS: Omit<Config, 'home' | 'profile'> = {
  region: 'us-east-1',
  rawBucket: 'recpipe-raw',
  lakeBucket: 'recpipe-lake',
  partSizeMiB: 6,
  multipartThresholdMiB: 32,
  concurrency: 4,
  connections: 16,
  uploadMemoryMiB: 96,
  watchPriority: 'low',
  quietPeriodSec: 30,
  pipeline: 'default',
  pipelineVersion: '1',
  athenaWorkgroup: 'recpipe',
  glueDatabase: 'recpipe',
  keysTable: 'recpipe-keys',
  logLevel: 'info',
  acceptRevisions: 'additive',
  scrubPeriodDays: 30,
  scrubBudgetGB: 50,
};

/** `partSizeMiB` -> `RECPIPE_PART_SIZE_MIB`. */
export function envName(key: string): string {
  return 'RECPIPE_' + words(key).join('_').toUpperCase();
}

/** `partSizeMiB` -> `part-size-mib`, the flag spelling. */
export function flagName(key: string): string {
  return words(key).join('-').toLowerCase();
}

function words(key: string): string[] {
  return key
    .replace(/MiB/g, 'Mib')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ');
}

export type Layer = { source: string; values: Record<string, unknown> };

export interface ConfigResult {
  config: Config;
  errors: string[];
  warnings: string[];
  /** Where each key's value came from (default, file path, env var, flag). */
  sources: Record<string, string>;
}

/** Merges layers (lowest first) and validates every key. */
export function resolveConfig(home: string, profile: Profile, layers: Layer[]): ConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const sources: Record<string, string> = {};
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) sources[key] = 'default';
  for (const layer of layers) {
    for (const [key, raw] of Object.entries(layer.values)) {
      if (raw === undefined) continue;
      const spec = (KEYS as Record<string, KeySpec>)[key];
      if (!spec) {
        warnings.push(`unknown config key "${key}" in ${layer.source} (known: ${Object.keys(KEYS).join(', ')})`);
        continue;
      }
      const parsed = parseValue(key, raw, spec, layer.source);
      if (typeof parsed === 'object' && parsed && 'error' in parsed) errors.push(String(parsed.error));
      else {
        out[key] = parsed;
        sources[key] = layer.source;
      }
    }
  }
  return { config: { ...(out as Omit<Config, 'home' | 'profile'>), home, profile }, errors, warnings, sources };
}

function parseValue(key: string, raw: unknown, spec: KeySpec, source: string): unknown {
  const bad = (why: string) => ({ error: `config key "${key}" from ${source}: ${JSON.stringify(raw)} ${why}` });
  if (spec.kind === 'int') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(n)) return bad('is not a whole number');
    if (spec.min !== undefined && n < spec.min) return bad(`is below the minimum ${spec.min}`);
    if (spec.max !== undefined && n > spec.max) return bad(`is above the maximum ${spec.max}`);
    return n;
  }
  if (typeof raw !== 'string') return bad('is not a string');
  if (key === 'apiUrl') {
    const problem = apiUrlProblem(raw);
    if (problem) return bad(problem);
  }
  if (spec.kind === 'enum' && !spec.values!.includes(raw)) return bad(`is not one of ${spec.values!.join(', ')}`);
  return raw;
}

/**
 * Why an API URL is unacceptable, or undefined. The key travels in the body of POST /v1/auth, so
 * plain http is allowed only to a loopback host (the local stack).
 */
export function apiUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL; write it like https://abc123.execute-api.eu-west-1.amazonaws.com';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `uses ${url.protocol.replace(/:$/, '')}; use https://`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback
    ? undefined
    : `is plain http to ${host}, which would send the API key in the clear; use https:// (plain http is for the local stack on 127.0.0.1 only)`;
}

export function isProfile(p: string): p is Profile {
  return (PROFILES as string[]).includes(p);
}

/** The config with secrets masked, for `config show` and logs. */
export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const [key, spec] of Object.entries(KEYS)) if (spec.secret && out[key] !== undefined) out[key] = '***';
  return out;
}
