/**
 * `recpipe pull`: choose the files (a filter, a query's JSON with --input, or a snapshot), then
 * stage them under --dest. An empty choice says why and changes nothing; an interrupted pull says
 * what it did and the command that resumes it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Services } from '../../composition/services.js';
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError, isRecpipeError } from '../../core/errors.js';
import { commandLine } from '../../core/shell.js';
import { recordVariables } from '../../core/query/records.js';
import { parseQueryJson, type PullItem } from '../../features/pull/plan.js';
import { pullFiles, type Existing, type PullResult } from '../../features/pull/pull-files.js';
import type { PullQuery } from '../../features/pull/pull-manifest.js';
import { tellEmpty } from './empty-result.js';
import type { FlagsOf } from '../flags/table.js';

/** The options of `recpipe pull`, parsed (declared in src/cli/flags/data-flags.ts). */
export type PullFlags = FlagsOf<'pull'>;

async function readInput(rt: Runtime, input: string): Promise<string> {
  if (input !== '-') {
    try {
      return await readFile(input, 'utf8');
    } catch (e) {
      throw new RecpipeError('usage', `cannot read --input ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        hint: 'pass the file written by `recpipe query --json > FILE`, or - to read it from standard input',
      });
    }
  }
  const stdin = rt.io.stdin;
  if (!stdin) throw new RecpipeError('usage', 'no standard input to read', { hint: 'pass --input FILE' });
  let text = '';
  for await (const c of stdin) text += String(c);
  return text;
}

/** The files to pull and what chose them; `empty` says why there are none. */
async function choose(
  rt: Runtime,
  filters: string[],
  flags: PullFlags,
  services: Services,
): Promise<{ items: PullItem[]; query: PullQuery; empty?: string[] }> {
  const sources = [
    filters.length > 0 || flags.from || flags.to ? 'filters' : '',
    flags.input !== undefined ? '--input' : '',
    flags.snapshot !== undefined ? '--snapshot' : '',
  ].filter(Boolean);
  if (sources.length > 1)
    throw new RecpipeError('usage', `give one of filters, --input or --snapshot, not ${sources.join(' and ')}`, {
      hint: 'a pull takes its files from one place',
    });
  if (flags.input !== undefined) {
    const items = parseQueryJson(await readInput(rt, flags.input));
    return { items, query: { input: flags.input }, empty: items.length ? undefined : ['the input lists no files'] };
  }
  if (flags.snapshot !== undefined) {
    rt.reporter.step(`reading snapshot ${flags.snapshot}`);
    const { assertSnapshotName } = await import('../../core/layout.js');
    const { requireSnapshot } = await import('../../features/snapshot/snapshot-store.js');
    const { snapshotItems } = await import('../../features/snapshot/snapshot-items.js');
    const name = assertSnapshotName(flags.snapshot);
    const { lake } = await services.storage();
    const items = await snapshotItems(lake, await requireSnapshot(lake, name));
    rt.reporter.succeed(`snapshot ${name}: ${items.length} files`);
    return { items, query: { snapshot: name } };
  }
  rt.reporter.step('querying the catalog');
  // Loaded only when querying: DuckDB and the Athena client are not needed for --input.
  const { runQuery } = await import('../../features/query/run-query.js');
  const q = { filters, from: flags.from, to: flags.to, pipelineVersion: flags.pipelineVersion, ignoreCase: flags.ignoreCase };
  const r = await runQuery(services.openEngine, services.config, q);
  rt.reporter.succeed(`${r.files.length} files match`);
  return { items: r.files.map((f) => ({ ...f, variables: recordVariables(f) })), query: q, empty: r.empty };
}

/** Chooses the files, stages them, and says what happened (or why nothing did). */
export async function pullCommand(rt: Runtime, filters: string[], flags: PullFlags): Promise<CommandResult> {
  if (!flags.dest) throw new RecpipeError('usage', 'pull needs --dest DIR', { hint: "e.g. recpipe pull 'fatigue>=3' --dest /data/train" });
  const existing: Existing = flags.existing;
  // --concurrency and --connections are config keys: the config carries them (the flag table read them by the keys' rules).
  const config = rt.config();
  const services = rt.services(config);
  const { items, query, empty } = await choose(rt, filters, flags, services);
  const dest = resolve(rt.io.cwd, flags.dest);
  if (items.length === 0) {
    // Nothing to stage, and --sync would empty the folder: nothing is changed.
    tellEmpty(
      rt,
      empty ?? ['no files'],
      flags.failEmpty || flags.sync,
      flags.sync ? `nothing in ${dest} was changed (--sync with no files would remove everything an earlier pull put there)` : undefined,
    );
    return { data: { dest, files: 0, downloaded: 0, empty: empty ?? [] }, human: `nothing to pull; nothing in ${dest} was changed` };
  }
  const lake = await services.pullSource();
  try {
    const r = await pullFiles(
      items,
      dest,
      { lake, reporter: rt.reporter, logger: rt.logger, signal: rt.signal },
      {
        concurrency: config.concurrency,
        dryRun: flags.dryRun,
        fsync: flags.fsync,
        connections: config.connections,
        wait: flags.wait,
        sync: flags.sync,
        existing,
        origin: { query, profile: config.profile },
      },
    );
    return { data: r, human: summary(r) };
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'interrupted') throw resumable(e, resumeCommand(filters, flags, dest, config.profile));
    throw e;
  }
}

function summary(r: PullResult): string {
  const lines: string[] = [];
  if (r.dryRun) {
    lines.push(`would download ${r.files - r.skipped - r.kept.length} of ${r.files} files (${r.skipped} already present) to ${r.dest}`);
    if (r.replaced.length) lines.push(`would replace ${r.replaced.length} that differ from the index: ${r.replaced.join(', ')}`);
    if (r.removed.length) lines.push(`would remove ${r.removed.length} an earlier pull put there (--sync): ${r.removed.join(', ')}`);
    return lines.join('\n');
  }
  lines.push(
    `${r.downloaded} downloaded, ${r.skipped} already present and identical, ${r.files} files (${(r.totalBytes / 1e6).toFixed(1)} MB) staged in ${r.dest}; list in ${r.manifest}`,
  );
  if (r.replaced.length) lines.push(`replaced ${r.replaced.length} that differed from the index: ${r.replaced.join(', ')}`);
  if (r.kept.length) lines.push(`left ${r.kept.length} that differ from the index (--existing skip): ${r.kept.join(', ')}`);
  if (r.removed.length) lines.push(`removed ${r.removed.length} an earlier pull put there (--sync): ${r.removed.join(', ')}`);
  return lines.join('\n');
}

/** The command that picks up where an interrupted pull stopped. */
function resumeCommand(filters: string[], f: PullFlags, dest: string, profile: string): string {
  const words = ['recpipe', ...(profile !== 'local' ? ['--profile', profile] : []), 'pull', ...filters, '--dest', dest];
  const opt = (flag: string, v: string | undefined) => (v !== undefined ? words.push(flag, v) : 0);
  opt('--from', f.from);
  opt('--to', f.to);
  opt('--pipeline-version', f.pipelineVersion);
  opt('--input', f.input);
  opt('--snapshot', f.snapshot);
  if (f.ignoreCase) words.push('-i');
  if (f.sync) words.push('--sync');
  return commandLine(words);
}

function resumable(e: RecpipeError, command: string): RecpipeError {
  return new RecpipeError('interrupted', e.message, {
    hint: `resume with: ${command}  (files already staged are kept; large files continue where they stopped)`,
    details: { ...e.details, resume: command },
    cause: e.cause,
  });
}
