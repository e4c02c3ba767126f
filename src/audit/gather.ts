/**
 * Collects what every layer holds, for the audit's pure reconcile step. Reads only.
 * `deepSample` re-hashes that share of raw objects and outputs, chosen at random, so repeated
 * runs cover the whole archive over time.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerEntry, ProcessedFileRow, SessionRow } from '../core/catalog/types.js';
import type { AuditInput, LocalSession } from '../core/audit/reconcile.js';
import { CATALOG_PREFIX, manifestKeyInfo, RAW_PREFIX, rawObjectPath, rawKeySessionId, sessionOfManifestKey, sessionPartOf } from '../core/layout.js';
import type { ObjectStore, Reporter } from '../core/ports.js';
import type { Manifest } from '../core/session/manifest-types.js';
import { parseSessionName } from '../core/session/name.js';
import { validateSessionDir } from '../session/validate-session-dir.js';
import { mapLimit } from '../core/map-limit.js';

/** Object reads in flight at once (small JSON objects; latency-bound on S3). */
const READS = 16;

export interface GatherOptions {
  raw: ObjectStore;
  lake: ObjectStore;
  rig?: string;
  root?: string;
  since?: string;
  deepSample: number;
  graceMs: number;
  pipeline: string;
  pipelineVersion: string;
  reporter: Reporter;
  random?: () => number;
  now?: number;
}

async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of await store.getStream(key)) h.update(c as Buffer);
  return h.digest('hex');
}

const ndjson = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export async function gather(o: GatherOptions): Promise<AuditInput & { deepChecked: number }> {
  const random = o.random ?? Math.random;
  const sinceDay = o.since?.replace(/-/g, '');
  const inScope = (session: string) => !sinceDay || session.slice(0, 8) >= sinceDay;
  /** raw/<rig>/<session>/... keys in scope. */
  const rawKeyInScope = (key: string) => inScope(sessionPartOf(rawKeySessionId(key)));
  o.reporter.step('listing the raw store');
  const rawList = (await o.raw.list(RAW_PREFIX)).filter((x) => rawKeyInScope(x.key));
  const rawObjects = new Map(rawList.map((x) => [x.key, { size: x.size, lastModified: x.lastModified?.getTime() ?? 0 }]));
  const text = async (store: ObjectStore, key: string) => (await store.get(key)).toString('utf8');
  const manifests: AuditInput['manifests'] = new Map();
  // Each session's newest revision stands for it (the list is sorted, but revision 10 sorts
  // before 9: compare numbers); every revision's manifest key is known to the audit.
  const newest = new Map<string, { key: string; revision: number; lastModified: number; keys: string[] }>();
  for (const x of rawList) {
    const info = manifestKeyInfo(x.key);
    if (!info) continue;
    const id = `${info.ref.rig}/${info.ref.session}`;
    const seen = newest.get(id);
    const keys = [...(seen?.keys ?? []), x.key];
    if (!seen || info.revision > seen.revision) newest.set(id, { key: x.key, revision: info.revision, lastModified: x.lastModified?.getTime() ?? 0, keys });
    else seen.keys = keys;
  }
  const committed = [...newest].filter(([, n]) => n.keys.some((k) => sessionOfManifestKey(k) !== undefined));
  for (const [i, body] of (await mapLimit(committed, READS, ([, n]) => text(o.raw, n.key))).entries()) {
    const [id, n] = committed[i];
    manifests.set(id, {
      manifest: JSON.parse(body) as Manifest,
      committedAt: n.lastModified,
      revision: n.revision,
      revisionKeys: n.keys,
      sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
    });
  }
  o.reporter.step('reading the catalog');
  const readAll = async (prefix: string) => mapLimit(await o.lake.list(prefix), READS, (x) => text(o.lake, x.key));
  const catalogRows = new Map<string, SessionRow>();
  for (const body of await readAll(`${CATALOG_PREFIX}sessions/`))
    for (const row of ndjson<SessionRow>(body)) if (inScope(row.session ?? '')) catalogRows.set(row.session_id, row);
  const fileRows: ProcessedFileRow[] = [];
  for (const body of await readAll(`${CATALOG_PREFIX}files/`))
    for (const row of ndjson<ProcessedFileRow>(body)) if (inScope(sessionPartOf(row.session_id))) fileRows.push(row);
  const ledger = new Map<string, LedgerEntry>();
  for (const body of await readAll(`${CATALOG_PREFIX}ledger/${o.pipeline}/${o.pipelineVersion}/`)) {
    const e = JSON.parse(body) as LedgerEntry;
    if (inScope(sessionPartOf(e.session_id))) ledger.set(e.session_id, e);
  }
  o.reporter.step('listing unfinished uploads');
  const staleUploads = (await o.raw.listUploads(RAW_PREFIX))
    .filter((u) => rawKeyInScope(u.key))
    .map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: u.initiated.getTime() }));
  const outputs = new Map<string, { size: number }>();
  for (const x of await o.lake.list('processed/')) outputs.set(x.key, { size: x.size });

  o.reporter.step(`re-hashing a ${Math.round(o.deepSample * 100)}% sample`);
  const rawHashes = new Map<string, string>();
  const outputHashes = new Map<string, string>();
  const rawSample = [...manifests.values()]
    .flatMap(({ manifest }) => manifest.files.map((f) => ({ key: `${RAW_PREFIX}${manifest.rig}/${manifest.session}/${rawObjectPath(f)}`, size: f.size })))
    .filter((f) => rawObjects.get(f.key)?.size === f.size && random() < o.deepSample);
  const outSample = fileRows.filter((r) => outputs.get(r.key)?.size === r.bytes && random() < o.deepSample);
  await mapLimit(rawSample, 4, async (f) => rawHashes.set(f.key, await hashObject(o.raw, f.key)));
  await mapLimit(outSample, 4, async (r) => outputHashes.set(r.key, await hashObject(o.lake, r.key)));
  const deepChecked = rawSample.length + outSample.length;
  const local = o.root && o.rig ? await scanRoot(o.root, o.rig, inScope) : undefined;
  o.reporter.succeed('gathered');
  return {
    now: o.now ?? Date.now(),
    graceMs: o.graceMs,
    pipeline: o.pipeline,
    pipelineVersion: o.pipelineVersion,
    local,
    manifests,
    rawObjects,
    rawHashes,
    catalogRows,
    fileRows,
    outputs,
    outputHashes,
    ledger,
    staleUploads,
    rawPrefixOf: (id) => `${RAW_PREFIX}${id}/`,
    deepChecked,
  };
}

/** Session folders under a rig's root, with their files' sizes (names only; no hashing). */
async function scanRoot(root: string, rig: string, inScope: (s: string) => boolean): Promise<LocalSession[]> {
  const out: LocalSession[] = [];
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory() || !parseSessionName(d.name).ok || !inScope(d.name)) continue;
    // Invalid folders are the validator's business (`recpipe check`), not the audit's.
    const v = await validateSessionDir(join(root, d.name));
    if (!v.ok) continue;
    const changedAt = Math.max(0, ...v.session.files.map((f) => f.mtimeMs));
    out.push({ sessionId: `${rig}/${d.name}`, files: v.session.files.map((f) => ({ name: f.name, size: f.size })), changedAt });
  }
  return out;
}
