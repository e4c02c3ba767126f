/** `recpipe pull`: run the query (or read its JSON), then stage the files under --dest. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { resolveEndpoints } from '../../composition.js';
import { LakeSource } from '../../pull/lake-source.js';
import { recordVariables } from '../../core/query/records.js';
import { parseQueryJson, type PullItem } from '../../pull/plan.js';
import { pullFiles } from '../../pull/pull-files.js';

export interface PullFlags {
  dest?: string;
  dryRun?: boolean;
  fsync?: boolean;
  concurrency?: string;
  connections?: string;
  /** false with --no-wait. */
  wait?: boolean;
  input?: string;
  from?: string;
  to?: string;
  pipelineVersion?: string;
}

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

export async function pullCommand(rt: Runtime, filters: string[], flags: PullFlags): Promise<CommandResult> {
  if (!flags.dest) throw new RecpipeError('usage', 'pull needs --dest DIR', { hint: "e.g. recpipe pull 'fatigue>=3' --dest /data/train" });
  // The numeric flags are checked like every config value (a whole number in range, or a one-line error naming the flag).
  const config = rt.config({ concurrency: flags.concurrency, connections: flags.connections });
  let items: PullItem[];
  if (flags.input !== undefined) {
    if (filters.length > 0)
      throw new RecpipeError('usage', 'give either filters or --input, not both', { hint: 'drop the filters when piping a query result' });
    items = parseQueryJson(await readInput(rt, flags.input));
  } else {
    rt.reporter.step('querying the catalog');
    // Loaded only when querying: DuckDB and the Athena client are not needed for --input.
    const { runQuery } = await import('../../query/run-query.js');
    items = (await runQuery(config, { filters, from: flags.from, to: flags.to, pipelineVersion: flags.pipelineVersion })).files.map((f) => ({
      ...f,
      variables: recordVariables(f),
    }));
    rt.reporter.succeed(`${items.length} files match`);
  }
  const endpoints = resolveEndpoints(config);
  const lake = new LakeSource(endpoints.s3, endpoints.lakeBucket);
  try {
    const dest = resolve(rt.io.cwd, flags.dest);
    const r = await pullFiles(
      items,
      dest,
      { lake, reporter: rt.reporter, logger: rt.logger, signal: rt.signal },
      {
        concurrency: config.concurrency,
        dryRun: Boolean(flags.dryRun),
        fsync: Boolean(flags.fsync),
        connections: config.connections,
        wait: flags.wait !== false,
      },
    );
    const human = r.dryRun
      ? `would download ${r.files - r.skipped} of ${r.files} files (${r.skipped} already present) to ${r.dest}`
      : `${r.downloaded} downloaded, ${r.skipped} already present and identical, ${r.files} files (${(r.totalBytes / 1e6).toFixed(1)} MB) staged in ${r.dest}; list in ${r.manifest}`;
    return { data: r, human };
  } finally {
    await lake.close();
  }
}
