/**
 * Configuration: defaults < config file < environment (RECPIPE_*) < flags, per profile.
 * Pure: takes already-read layers, returns {config, errors}. Each error names the key, the
 * bad value and where it came from.
 */
import { bwlimit, pipelineWord } from './named-types.js';
import { checked, integer, oneOf, text, type Parsed, type ValueType } from './value-types.js';

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

/** A key's rule: the value type that reads it (shared with the flags that set it, src/cli/flags). */
export interface KeySpec<T> {
  type: ValueType<T>;
  /** Masked in `config show` and logs. */
  secret?: boolean;
}

/** The keys a file, the environment or a flag may set (`home` and `profile` are chosen otherwise). */
export type ConfigKey = Exclude<keyof Config, 'home' | 'profile'>;

const apiUrl = checked('an https:// URL (plain http:// only to a loopback host)', (s) => apiUrlProblem(s), { detail: true });

export const KEYS: { readonly [K in ConfigKey]: KeySpec<NonNullable<Config[K]>> } = {
  apiUrl: { type: apiUrl },
  apiKey: { type: text, secret: true },
  region: { type: text },
  s3Endpoint: { type: text },
  rawBucket: { type: text },
  lakeBucket: { type: text },
  partSizeMiB: { type: integer(5, 5120) },
  multipartThresholdMiB: { type: integer(5, 5120) },
  concurrency: { type: integer(1, 64) },
  connections: { type: integer(1, 64) },
  uploadMemoryMiB: { type: integer(16, 4096) },
  bwlimit: { type: bwlimit },
  watchPriority: { type: oneOf(['low', 'normal'] as const) },
  quietPeriodSec: { type: integer(0, 86400) },
  markerFile: { type: text },
  metadataSchema: { type: text },
  pipeline: { type: pipelineWord },
  pipelineVersion: { type: pipelineWord },
  processorCommand: { type: text },
  athenaWorkgroup: { type: text },
  glueDatabase: { type: text },
  keysTable: { type: text },
  logLevel: { type: oneOf(['debug', 'info', 'warn', 'error'] as const) },
  acceptRevisions: { type: oneOf(['additive', 'all'] as const) },
  scrubPeriodDays: { type: integer(1, 3650) },
  scrubBudgetGB: { type: integer(0, 1_000_000) },
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
      const spec = isConfigKey(key) ? KEYS[key] : undefined;
      if (!spec) {
        warnings.push(`unknown config key "${key}" in ${layer.source} (known: ${Object.keys(KEYS).join(', ')})`);
        continue;
      }
      const parsed = parseValue(key, raw, spec, layer.source);
      if (!parsed.ok) errors.push(parsed.why);
      else {
        out[key] = parsed.value;
        sources[key] = layer.source;
      }
    }
  }
  return { config: { ...(out as Omit<Config, 'home' | 'profile'>), home, profile }, errors, warnings, sources };
}

function parseValue(key: string, raw: unknown, spec: KeySpec<unknown>, source: string): Parsed<unknown> {
  const r = spec.type.parse(raw);
  return r.ok ? r : { ok: false, why: `config key "${key}" from ${source}: ${JSON.stringify(raw)} ${r.why}` };
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

export function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(KEYS, key);
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
