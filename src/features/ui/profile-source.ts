/**
 * The UI's data on the configured profile. Filters run through runQuery, the code behind
 * `recpipe query`; session rows and ledger entries come from the same engine (session-view.ts);
 * manifests (of the served revision) and provenance are read from the stores; each session's
 * state is the one `status` and `verify` give (src/features/state/gather-states.ts), fed with a live
 * metadata-level audit of its day and this machine's last verify report.
 */
import type { Config } from '../../config/schema.js';
import { silentReporter, type ObjectStore, type Stores } from '../../core/ports.js';
import { isRecpipeError, RecpipeError } from '../../core/errors.js';
import { parseSessionId, processedFileKey, SNAPSHOT_NAME, type SessionRef } from '../../core/layout.js';
import type { SnapshotRow, SnapshotSummary } from '../../core/snapshot/rows.js';
import { readSnapshot } from '../snapshot/snapshot-store.js';
import { listSnapshots } from '../snapshot/snapshot-views.js';
import { reconcile } from '../../core/audit/reconcile.js';
import type { Finding } from '../../core/audit/findings.js';
import { withNextStep } from '../../core/audit/next-steps.js';
import { PROVENANCE } from '../../core/catalog/records.js';
import { readRevisionState } from '../../core/session/revision-state.js';
import { gather } from '../audit/gather.js';
import type { KeyStore } from '../../backend/ports.js';
import type { OpenEngine } from '../query/open-engine.js';
import { runQuery } from '../query/run-query.js';
import { readLedger, readSessions, withQueryEngine } from '../query/session-view.js';
import { gatherSessionStates, type GatherStatesOptions } from '../state/gather-states.js';
import { readRigs } from './rigs-source.js';
import type { RigsResult, SessionDetail, SessionState, SessionsResult, StateFilter, UiSource } from './source.js';

/**
 * A session's `_provenance.json`, none when it is missing; a damaged one is not a crash of the
 * page: it is shown as a damaged_record finding naming the key and field.
 */
export async function readProvenance(store: ObjectStore, key: string, sessionId: string): Promise<{ provenance?: Record<string, unknown>; damaged?: Finding }> {
  let body: Buffer;
  try {
    body = await store.get(key);
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'not_found') return {};
    throw e;
  }
  try {
    return { provenance: PROVENANCE.parse(body, key) };
  } catch (e) {
    if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
    return { damaged: withNextStep({ category: 'damaged_record', sessionId, key, message: e.message }) };
  }
}

/** What the pages read through: the profile's stores, query engine and rig keys (its services). */
export interface UiPorts {
  storage(): Promise<Stores>;
  openEngine: OpenEngine;
  keyStore(): Promise<{ store: KeyStore }>;
}

/** A set of the profile's services, opened for one read and released after it. */
export type OpenUiPorts = () => UiPorts & { close(): void };

export class ProfileSource implements UiSource {
  /** One read at a time: opening the engine may rebuild the mirror's DuckDB file in place. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Each read runs on services of its own, released when it ends (as each read opened its stores
   * before): a local stack restarted on other ports meanwhile is found again by the next page.
   */
  constructor(
    private readonly config: Config,
    private readonly open: OpenUiPorts,
  ) {}

  private serial<T>(fn: (p: UiPorts) => Promise<T>): Promise<T> {
    const read = async () => {
      const p = this.open();
      try {
        return await fn(p);
      } finally {
        p.close();
      }
    };
    const run = this.queue.then(read, read);
    this.queue = run.catch(() => undefined);
    return run;
  }

  sessions(terms: string[], state: StateFilter = 'all'): Promise<SessionsResult> {
    return this.serial((p) => this.readSessions(p, terms, state));
  }

  session(id: string): Promise<SessionDetail> {
    return this.serial((p) => this.readSession(p, id));
  }

  rigs(): Promise<RigsResult> {
    return this.serial((p) => readRigs(this.config, p, () => this.states(p)));
  }

  snapshots(): Promise<SnapshotSummary[]> {
    return this.serial(async (p) => listSnapshots((await p.storage()).lake));
  }

  snapshot(name: string): Promise<SnapshotRow[] | undefined> {
    // A name that is not a valid snapshot name names no snapshot (never a key).
    if (!SNAPSHOT_NAME.test(name)) return Promise.resolve(undefined);
    return this.serial(async (p) => readSnapshot((await p.storage()).lake, name));
  }

  /** The one session state of these sessions (all committed ones without `ids`). */
  private async states(p: UiPorts, o: GatherStatesOptions = {}): Promise<SessionState[]> {
    const c = this.config;
    const { raw, lake } = await p.storage();
    return gatherSessionStates({ raw, lake, home: c.home, pipeline: c.pipeline, pipelineVersion: c.pipelineVersion, policy: c.acceptRevisions }, o);
  }

  private async readSessions(p: UiPorts, terms: string[], filter: StateFilter): Promise<SessionsResult> {
    const q = await runQuery(p.openEngine, this.config, { filters: terms });
    const ids = [...new Set(q.files.map((f) => f.session_id))];
    const sessions = await withQueryEngine(p.openEngine, (engine) => readSessions(engine, ids));
    // With no filter every committed session is listed, those without outputs too (dead, failed, ...).
    const all = await this.states(p, terms.length ? { ids } : {});
    const states = Object.fromEntries(all.map((s) => [s.sessionId, s]));
    const listed = new Set(ids);
    const unprocessed = terms.length ? [] : all.filter((s) => !listed.has(s.sessionId)).map((s) => s.sessionId);
    const variables = [...new Set(sessions.flatMap((s) => Object.keys(s.variables)))].sort();
    const numeric = variables.filter((v) => sessions.every((s) => s.variables[v] === undefined || typeof s.variables[v] === 'number'));
    const keep = (id: string) => matches(states[id], filter);
    return { terms, sessions: sessions.filter((s) => keep(s.session_id)), variables, numeric, totals: q.totals, states, unprocessed: unprocessed.filter(keep) };
  }

  private async readSession(p: UiPorts, id: string): Promise<SessionDetail> {
    let ref: SessionRef;
    try {
      ref = parseSessionId(id);
    } catch {
      throw new RecpipeError('usage', `"${id}" is not a session id`, { hint: 'session ids look like rig-01/20210228_161221' });
    }
    const c = this.config;
    const { row, ledger } = await withQueryEngine(p.openEngine, async (engine) => ({
      row: (await readSessions(engine, [id]))[0],
      ledger: await readLedger(engine, id),
    }));
    const outputs = (await runQuery(p.openEngine, c, { filters: [`session_id=${id}`] })).files;
    const { raw, lake } = await p.storage();
    const revisions = await readRevisionState(raw, ref, c.acceptRevisions);
    const { provenance, damaged } = await readProvenance(lake, processedFileKey(ref, c.pipeline, c.pipelineVersion, '_provenance.json'), id);
    // The served revision's manifest: the same files and hashes the catalog, provenance and the CLI show.
    const manifest = revisions?.stored.get(revisions.served)?.manifest;
    const warnings = (manifest?.warnings ?? []).map((w) => `${w.code}${w.file ? ` ${w.file}` : ''}: ${w.message}`);
    const detail: SessionDetail = { row, manifest, ledger, outputs, provenance, findings: [], warnings };
    if (revisions && revisions.newest > 1) {
      const { stored: _stored, ...state } = revisions;
      detail.revisions = state;
    }
    try {
      detail.findings = await this.findings(p, id, ref.session);
    } catch (e) {
      detail.findingsError = (e as Error).message;
    }
    if (damaged) detail.findings.push(damaged);
    [detail.state] = await this.states(p, { ids: [id], liveFindings: detail.findings, warnings: new Map([[id, warnings]]) });
    return detail;
  }

  /** The `verify` audit over this session's day, without re-hashing, narrowed to the session. */
  private async findings(p: UiPorts, id: string, session: string) {
    const since = `${session.slice(0, 4)}-${session.slice(4, 6)}-${session.slice(6, 8)}`;
    const c = this.config;
    const { raw, lake } = await p.storage();
    const input = await gather({
      raw,
      lake,
      home: c.home,
      since,
      scrubBudgetBytes: 0,
      scrubPeriodDays: c.scrubPeriodDays,
      graceMs: 2 * 3600_000,
      pipeline: c.pipeline,
      pipelineVersion: c.pipelineVersion,
      policy: c.acceptRevisions,
      reporter: silentReporter,
    });
    return reconcile(input).findings.filter((f) => f.sessionId === id && f.category !== 'scrub_overdue');
  }
}

/** Whether a session in `state` is listed under `filter`. */
export function matches(state: SessionState | undefined, filter: StateFilter): boolean {
  if (filter === 'all') return true;
  if (!state) return false;
  if (filter === 'attention') return state.tone === 'attention' || state.tone === 'failing';
  if (filter === 'held') return (state.revisions?.held.length ?? 0) > 0;
  return state.kind === filter;
}
