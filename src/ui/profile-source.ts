/**
 * The UI's data on the configured profile. Filters run through runQuery, the code behind
 * `recpipe query`; session rows and ledger entries come from the same engine (session-view.ts);
 * manifests and provenance are read from the stores; findings come from the `verify` audit.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { silentReporter } from '../core/ports.js';
import { isRecpipeError, RecpipeError } from '../core/errors.js';
import { manifestKey, parseSessionId, processedFileKey } from '../core/layout.js';
import type { Manifest } from '../core/session/manifest-types.js';
import { reconcile } from '../core/audit/reconcile.js';
import { gather } from '../audit/gather.js';
import { runQuery } from '../query/run-query.js';
import { readLedger, readSessions, withQueryEngine } from '../query/session-view.js';
import { withStores } from '../process/redrive.js';
import type { ObjectStore } from '../core/ports.js';
import { foldRigEvents, readRigEvents } from './rig-events.js';
import type { RigsResult, SessionDetail, SessionsResult, UiSource } from './source.js';

async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  try {
    return JSON.parse((await store.get(key)).toString('utf8')) as T;
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'not_found') return undefined;
    throw e;
  }
}

export class ProfileSource implements UiSource {
  /** One read at a time: opening the engine may rebuild the mirror's DuckDB file in place. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: Config) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  sessions(terms: string[]): Promise<SessionsResult> {
    return this.serial(() => this.readSessions(terms));
  }

  session(id: string): Promise<SessionDetail> {
    return this.serial(() => this.readSession(id));
  }

  rigs(): Promise<RigsResult> {
    return this.serial(() => this.readRigs());
  }

  private async readSessions(terms: string[]): Promise<SessionsResult> {
    const q = await runQuery(this.config, { filters: terms });
    const ids = [...new Set(q.files.map((f) => f.session_id))];
    const sessions = await withQueryEngine(this.config, (engine) => readSessions(engine, ids));
    const variables = [...new Set(sessions.flatMap((s) => Object.keys(s.variables)))].sort();
    const numeric = variables.filter((v) => sessions.every((s) => s.variables[v] === undefined || typeof s.variables[v] === 'number'));
    return { terms, sessions, variables, numeric, totals: q.totals };
  }

  private async readSession(id: string): Promise<SessionDetail> {
    let ref;
    try {
      ref = parseSessionId(id);
    } catch {
      throw new RecpipeError('usage', `"${id}" is not a session id`, { hint: 'session ids look like rig-01/20210228_161221' });
    }
    const { row, ledger } = await withQueryEngine(this.config, async (engine) => ({
      row: (await readSessions(engine, [id]))[0],
      ledger: await readLedger(engine, id),
    }));
    const outputs = (await runQuery(this.config, { filters: [`session_id=${id}`] })).files;
    const { manifest, provenance } = await withStores(this.config, async (raw, lake) => ({
      manifest: await readJson<Manifest>(raw, manifestKey(ref)),
      provenance: await readJson<Record<string, unknown>>(lake, processedFileKey(ref, this.config.pipeline, this.config.pipelineVersion, '_provenance.json')),
    }));
    const detail: SessionDetail = { row, manifest, ledger, outputs, provenance, findings: [], warnings: warningsOf(manifest) };
    try {
      detail.findings = await this.findings(id, ref.session);
    } catch (e) {
      detail.findingsError = (e as Error).message;
    }
    return detail;
  }

  /** The `verify` audit over this session's day, without re-hashing, narrowed to the session. */
  private async findings(id: string, session: string) {
    const since = `${session.slice(0, 4)}-${session.slice(4, 6)}-${session.slice(6, 8)}`;
    const c = this.config;
    const input = await withStores(c, (raw, lake) =>
      gather({
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
      }),
    );
    return reconcile(input).findings.filter((f) => f.sessionId === id);
  }

  private async readRigs(): Promise<RigsResult> {
    const dir = join(this.config.home, 'logs');
    const rigs = foldRigEvents(this.config.profile === 'local' ? await readRigEvents(dir) : []);
    const sessions = await withQueryEngine(this.config, (engine) => readSessions(engine));
    for (const s of sessions) {
      let r = rigs.get(s.rig);
      if (!r) rigs.set(s.rig, (r = { rig: s.rig, waiting: [], invalid: [], failed: [], catalogued: 0 }));
      r.catalogued++;
      // A session in the catalog was uploaded even by a rig that ships no events (plain `upload`).
      if (s.uploaded_at && (!r.lastUpload || s.uploaded_at > r.lastUpload)) r.lastUpload = s.uploaded_at;
    }
    const eventSource =
      this.config.profile === 'local'
        ? `rig events from ${dir}`
        : 'rig events live in the CloudWatch log group (not read by the ui yet); uploads from the catalog';
    return { rigs: [...rigs.values()].sort((a, b) => (a.rig < b.rig ? -1 : 1)), eventSource };
  }
}

/** Data warnings carried by the manifest, when the version that wrote it records them. */
function warningsOf(manifest: Manifest | undefined): unknown[] {
  const w = (manifest as { warnings?: unknown } | undefined)?.warnings;
  return Array.isArray(w) ? w : [];
}
