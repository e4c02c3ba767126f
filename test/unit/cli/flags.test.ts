/**
 * The flag table (src/cli/flags) drives these tests: every typed flag of every command is fed
 * malformed values through the real CLI edge, every config-backed flag is compared with its
 * config key, and every command's help is checked for an example.
 */
import { readdirSync } from 'node:fs';
import { Command } from 'commander';
import { registerAll, type Run } from '../../../src/cli/commands/index.js';
import type { FlagSet, FlagSpec } from '../../../src/cli/flags/declare.js';
import { configFromFlags, longName, parseFlags } from '../../../src/cli/flags/parse-flags.js';
import { COMMAND_FLAGS, GLOBAL_FLAGS } from '../../../src/cli/flags/table.js';
import { allCommands, commandPath } from '../../../src/cli/flags/to-commander.js';
import { rigName } from '../../../src/config/named-types.js';
import { loadConfig } from '../../../src/config/load.js';
import { envName, type Config } from '../../../src/config/schema.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

/** The command tree as main.ts builds it (actions that do nothing). */
function tree(): Command {
  const program = new Command('recpipe');
  const run: Run = () => async () => undefined;
  registerAll(program, run);
  return program;
}

const TABLE: Record<string, FlagSet> = COMMAND_FLAGS;

/** Values each kind of flag must refuse. */
function malformed(spec: FlagSpec<unknown>): string[] {
  const t = spec.type;
  if (!t) return [];
  switch (t.kind) {
    case 'integer':
      return ['abc', '', '1.5', '1e3', `${t.min! - 1}`, `${t.max! + 1}`];
    case 'number':
      return ['abc', '', '1e3', `${t.min! - 1}`, `${t.max! + 1}`];
    case 'enum':
      return ['nonsense', t.values![0].toUpperCase()];
    case 'checked':
      return ['Not Valid!'];
    case 'list':
      return [','];
    case 'text':
      return [];
  }
}

/** Arguments that get a command past commander to its action: its required positionals and options. */
function argsFor(cmd: Command, set: FlagSet): string[] {
  const positional = cmd.registeredArguments.filter((a) => a.required).map(() => 'x');
  const options = Object.values(set)
    .filter((s) => s.required)
    .flatMap((s) => [longName(s), s.type === rigName ? 'rig-01' : 'x']);
  return [...positional, ...options];
}

const cases: [string, string, string, string[]][] = [];
for (const cmd of allCommands(tree())) {
  const path = commandPath(cmd);
  const set = path === '' ? GLOBAL_FLAGS : TABLE[path];
  if (!set) continue;
  for (const spec of Object.values(set)) {
    for (const bad of malformed(spec)) {
      const flag = [longName(spec), bad];
      // A global flag goes before the command; `status` takes no arguments.
      const argv = path === '' ? [...flag, 'status'] : [...path.split(' '), ...argsFor(cmd, set), ...flag];
      cases.push([path || '(global)', longName(spec), bad, argv]);
    }
  }
}

describe('the flag table', () => {
  it('declares the flags of every command that has an action, and of no command that does not exist', () => {
    const leaves = allCommands(tree())
      .filter((c) => c.commands.length === 0)
      .map(commandPath);
    expect(leaves.sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('gives commander exactly the declared flags: no command adds an option of its own', () => {
    for (const cmd of allCommands(tree())) {
      const path = commandPath(cmd);
      const declared = Object.values(path === '' ? GLOBAL_FLAGS : (TABLE[path] ?? {})).map((s) => s.flags);
      const given = cmd.options.map((o) => o.flags).filter((f) => f !== '-V, --version');
      expect({ path, given }).toEqual({ path, given: declared });
    }
  });

  it('tries malformed values on every flag that is not plain text or a switch, upload --concurrency and verify --grace-hours among them', () => {
    const typed = Object.entries({ '(global)': GLOBAL_FLAGS, ...TABLE }).flatMap(([cmd, set]) =>
      Object.values(set)
        .filter((s) => s.type && s.type.kind !== 'text')
        .map((s) => `${cmd} ${longName(s)}`),
    );
    const tried = new Set(cases.map(([cmd, flag]) => `${cmd} ${flag}`));
    expect([...tried].sort()).toEqual([...new Set(typed)].sort());
    expect(tried).toContain('upload --concurrency');
    expect(tried).toContain('verify --grace-hours');
  });

  it.each(cases)('%s %s %j: exit 2 and one line naming the flag and the value, before anything runs', async (_cmd, flag, bad, argv) => {
    // Prepare
    const home = tempDir('rp-flags-');
    // Act
    const r = await runCli(argv, { RECPIPE_HOME: home });
    // Assess
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: [^\n]+\n$/);
    expect(r.err).toContain(`error: ${flag} must be `);
    expect(r.err).toContain(`got ${JSON.stringify(bad)}`);
    expect(readdirSync(home)).toEqual([]);
  });
});

/** Text both a flag and a RECPIPE_* variable might be given. */
const PROBES = [
  'abc',
  '0',
  '1',
  '-1',
  '4',
  '5',
  '16',
  '64',
  '65',
  '4096',
  '5120',
  '5121',
  '86400',
  '86401',
  '1000000',
  '1000001',
  '1.5',
  '1e3',
  ' 7 ',
  '0x10',
  'low',
  'normal',
  'LOW',
  'off',
  '20M',
  '512K',
  '1.5G',
  '08:00,5M 20:00,off',
  '25:00,5M',
  '08:00,5M 08:00,off',
  'Mon-08:00,5M',
  'schema.json',
  '/etc/recpipe/schema.json',
];

const configBacked = Object.entries(TABLE).flatMap(([command, set]) =>
  Object.entries(set)
    .filter(([, spec]) => spec.config !== undefined)
    .map(([name, spec]) => [command, longName(spec), spec.config!, name] as [string, string, keyof Config, string]),
);

describe('a flag that sets a config key', () => {
  it('exists for the keys the docs say have one', () => {
    expect(new Set(configBacked.map(([, , key]) => key))).toEqual(
      new Set(['metadataSchema', 'partSizeMiB', 'bwlimit', 'quietPeriodSec', 'watchPriority', 'scrubBudgetGB', 'concurrency', 'connections']),
    );
  });

  it.each(configBacked)('%s %s accepts and refuses what config key %s does (as RECPIPE_*), reading the same value', (command, _flag, key, name) => {
    const home = tempDir('rp-flags-');
    for (const probe of PROBES) {
      let fromFlag: { ok: boolean; value?: unknown };
      try {
        fromFlag = { ok: true, value: parseFlags(TABLE[command], { [name]: probe })[name] };
      } catch {
        fromFlag = { ok: false };
      }
      let fromEnv: { ok: boolean; value?: unknown };
      try {
        fromEnv = { ok: true, value: loadConfig({ env: { RECPIPE_HOME: home, [envName(key)]: probe } }).config[key] };
      } catch {
        fromEnv = { ok: false };
      }
      expect({ probe, ...fromFlag }).toEqual({ probe, ...fromEnv });
    }
  });

  it('reaches the config above the environment, and the config names the flag as its source', () => {
    const flags = parseFlags(COMMAND_FLAGS.watch, { quietPeriod: '9', priority: 'normal' });
    const layer = configFromFlags(COMMAND_FLAGS.watch, flags);
    const env = { RECPIPE_HOME: tempDir('rp-flags-'), RECPIPE_QUIET_PERIOD_SEC: '5' };
    const { config, sources } = loadConfig({ env, flags: layer.values, flagNames: layer.names });
    expect(config.quietPeriodSec).toBe(9);
    expect(config.watchPriority).toBe('normal');
    expect(sources.quietPeriodSec).toBe('flag --quiet-period');
    expect(sources.watchPriority).toBe('flag --priority');
  });
});

describe('help', () => {
  const paths = allCommands(tree()).map(commandPath);
  it.each(paths.map((p) => [p || 'recpipe']))('%s --help shows an example', async (path) => {
    const argv = path === 'recpipe' ? ['--help'] : [...path.split(' '), '--help'];
    const r = await runCli(argv, { RECPIPE_HOME: tempDir('rp-flags-') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nExamples?:\n {2}\$ [^\n]*recpipe /);
  });

  it('states the range, default and environment variable of a flag from its declaration', async () => {
    const r = await runCli(['pull', '--help'], { RECPIPE_HOME: tempDir('rp-flags-') });
    expect(r.out.replace(/\s+/g, ' ')).toContain('files in flight at once (1-64; default 4; config concurrency, env RECPIPE_CONCURRENCY)');
  });
});
