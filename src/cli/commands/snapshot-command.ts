/** `recpipe snapshot create / list / show / diff`: thin over src/features/snapshot, rendering the results. */
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { assertSnapshotName } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import { formatSize } from '../../core/query/session-rows.js';
import { renderCsv, renderFitted } from '../render/table.js';
import { emptyError } from './empty-result.js';
import type { FlagsOf } from '../flags/table.js';

/** The profile's lake bucket, where snapshots are kept. */
async function lakeOf(rt: Runtime): Promise<ObjectStore> {
  return (await rt.services(rt.config()).storage()).lake;
}

/** `snapshot create`: freezes the files; an empty choice is an error (a snapshot of nothing names nothing). */
export async function snapshotCreate(rt: Runtime, name: string, filters: string[], opts: FlagsOf<'snapshot create'>): Promise<CommandResult> {
  assertSnapshotName(name);
  if (opts.sql && filters.length > 0) throw new RecpipeError('usage', 'give filters or --sql, not both', { hint: 'put the whole condition in the SQL' });
  const { createSnapshot } = await import('../../features/snapshot/create-snapshot.js');
  rt.reporter.step(`taking snapshot ${name}`);
  const config = rt.config();
  const services = rt.services(config);
  const lake = async () => (await services.storage()).lake;
  const r = await createSnapshot({ openEngine: services.openEngine, lake }, config, {
    name,
    filters,
    sql: opts.sql,
    from: opts.from,
    to: opts.to,
    pipelineVersion: opts.pipelineVersion,
    ignoreCase: opts.ignoreCase,
  });
  if ('empty' in r) throw emptyError(r.empty, 'a snapshot needs at least one file: change the filter');
  rt.reporter.succeed();
  const what = `${r.files} files of ${r.sessions} sessions (${formatSize(r.bytes)})`;
  return {
    data: r,
    human: r.created
      ? `snapshot ${name}: ${what} frozen; pull them with: recpipe pull --snapshot ${name} --dest DIR`
      : `snapshot ${name} already holds exactly these ${what}; nothing was written`,
  };
}

/** `snapshot list`: one line per snapshot, newest first. */
export async function snapshotList(rt: Runtime): Promise<CommandResult> {
  const { listSnapshots } = await import('../../features/snapshot/snapshot-views.js');
  const list = await listSnapshots(await lakeOf(rt));
  if (list.length === 0) return { data: list, human: 'no snapshots yet; take one with `recpipe snapshot create NAME FILTER...`' };
  const rows = list.map((s) => ({ ...s, size: formatSize(s.bytes) }));
  return {
    data: list,
    human: renderFitted(['name', 'created_at', 'sessions', 'files', 'size', 'query'], rows, rt.io.columns ?? 0, `${list.length} snapshots`),
  };
}

/** `snapshot show`: a snapshot's files as a table, CSV or JSON. */
export async function snapshotShow(rt: Runtime, name: string, opts: FlagsOf<'snapshot show'>): Promise<CommandResult> {
  const format = rt.json ? 'json' : (opts.format ?? (rt.io.isTTY ? 'table' : 'json'));
  const { showSnapshot } = await import('../../features/snapshot/snapshot-views.js');
  const rows = await showSnapshot(await lakeOf(rt), name);
  const columns = ['session_id', 'revision', 'pipeline', 'pipeline_version', 'key', 'bytes', 'sha256'];
  if (format === 'json') return { data: rows, human: JSON.stringify(rows, null, 2) };
  if (format === 'csv') return { data: rows, human: renderCsv(['snapshot', 'created_at', 'query', ...columns], rows as unknown as Record<string, unknown>[]) };
  const first = rows[0];
  const head = `snapshot ${name}, taken ${first.created_at} from: ${first.query}`;
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  return {
    data: rows,
    human: `${head}\n${renderFitted(columns, rows as unknown as Record<string, unknown>[], rt.io.columns ?? 0, `${rows.length} files, ${formatSize(total)}`, { dropOrder: ['sha256', 'pipeline', 'pipeline_version', 'revision'] })}`,
  };
}

/** `snapshot diff A B`: `-` only in A, `+` only in B, `~` other bytes, and a count of each. */
export async function snapshotDiff(rt: Runtime, a: string, b: string): Promise<CommandResult> {
  const { compareSnapshots } = await import('../../features/snapshot/snapshot-views.js');
  const d = await compareSnapshots(await lakeOf(rt), a, b);
  const lines = [...d.removed.map((k) => `- ${k}`), ...d.added.map((k) => `+ ${k}`), ...d.changed.map((k) => `~ ${k}`)];
  const sum = `${a} -> ${b}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} with other bytes, ${d.same} the same`;
  return { data: d, human: [...lines, sum].join('\n') };
}
