/**
 * Reads the configuration layers from the edges (env, file, flags) and resolves them.
 * The config file is $RECPIPE_HOME/config.json: `{ "profile": "local", "profiles": { "local": {...}, "aws": {...} } }`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RecpipeError } from '../core/errors.js';
import { anything, fieldsOf, mapOf, opt, str } from '../core/shape.js';
import { storedRecord } from '../core/stored-record.js';
import { envName, flagName, isProfile, KEYS, resolveConfig, type Config, type ConfigResult, type Layer, type Profile } from './schema.js';

export interface LoadOptions {
  env: NodeJS.ProcessEnv;
  /** Values from command-line flags, by config key (undefined entries are ignored). */
  flags?: Record<string, unknown>;
  /** The flag that set each key, for messages and `sources` (default: the key's own spelling, `--part-size-mib`). */
  flagNames?: Record<string, string>;
  /** --profile */
  profile?: string;
}

export function recpipeHome(env: NodeJS.ProcessEnv): string {
  return resolve(env.RECPIPE_HOME && env.RECPIPE_HOME.length > 0 ? env.RECPIPE_HOME : join(homedir(), '.recpipe'));
}

/**
 * Where a command writes its JSON-lines log: RECPIPE_LOG_DIR when set (the rig daemon under
 * systemd, with LogsDirectory=), else $RECPIPE_HOME/logs. The local stack's log, which `recpipe ui`
 * reads rig events from, stays under RECPIPE_HOME: leave RECPIPE_LOG_DIR unset where it runs.
 */
export function recpipeLogDir(env: NodeJS.ProcessEnv): string {
  return env.RECPIPE_LOG_DIR && env.RECPIPE_LOG_DIR.length > 0 ? resolve(env.RECPIPE_LOG_DIR) : join(recpipeHome(env), 'logs');
}

export function configPath(home: string): string {
  return join(home, 'config.json');
}

interface ConfigFile {
  profile?: string;
  profiles?: Record<string, Record<string, unknown>>;
}

/**
 * The file's outline; each key's value is checked by resolveConfig (schema.ts), which lists every
 * bad one. A person keeps it: a damaged one is a `config` error (exit 2) naming the file and field.
 */
const CONFIG_FILE = storedRecord<ConfigFile>({
  what: 'config file',
  code: 'config',
  hint: 'fix the file or move it away; `recpipe config show` prints the defaults',
  shape: fieldsOf<ConfigFile>()({ profile: opt(str), profiles: opt(mapOf(mapOf(anything))) }),
});

export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new RecpipeError('config', `cannot read config file ${path}: ${(e as Error).message}`, { hint: 'check its permissions' });
  }
  return CONFIG_FILE.parse(text, path);
}

/** Resolves the configuration; throws RecpipeError('config') listing every bad key. */
export function loadConfig(options: LoadOptions): ConfigResult {
  const home = recpipeHome(options.env);
  const file = readConfigFile(configPath(home));
  const profileName = options.profile ?? options.env.RECPIPE_PROFILE ?? file.profile ?? 'local';
  if (!isProfile(profileName)) {
    throw new RecpipeError('config', `unknown profile "${profileName}"`, { hint: 'use --profile local or --profile aws' });
  }
  const profile: Profile = profileName;
  const layers: Layer[] = [];
  const fromFile = file.profiles?.[profile];
  if (fromFile) layers.push({ source: `${configPath(home)} (profiles.${profile})`, values: fromFile });
  layers.push(...envLayers(options.env));
  for (const [key, v] of Object.entries(options.flags ?? {}))
    if (v !== undefined) layers.push({ source: `flag ${options.flagNames?.[key] ?? `--${flagName(key)}`}`, values: { [key]: v } });
  return validated(resolveConfig(home, profile, layers));
}

/**
 * The configuration from the environment alone, validated like loadConfig: for a Lambda
 * container, which has no config file and no flags (the CDK stack sets RECPIPE_*).
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv, profile: Profile, home: string): ConfigResult {
  return validated(resolveConfig(home, profile, envLayers(env)));
}

/** One layer per RECPIPE_* variable that is set, so an error names the variable. */
function envLayers(env: NodeJS.ProcessEnv): Layer[] {
  const layers: Layer[] = [];
  for (const key of Object.keys(KEYS)) {
    const v = env[envName(key)];
    if (v !== undefined && v !== '') layers.push({ source: `environment ${envName(key)}`, values: { [key]: v } });
  }
  return layers;
}

function validated(result: ConfigResult): ConfigResult {
  if (result.errors.length > 0) {
    throw new RecpipeError('config', result.errors.join('; '), { hint: 'fix the value or remove it to use the default', details: { errors: result.errors } });
  }
  return result;
}

export type { Config };
