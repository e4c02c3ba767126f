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
import { CATALOG_PREFIX, RAW_PREFIX, sessionOfManifestKey } from '../core/layout.js';
import type { ObjectStore, Reporter } from '../core/ports.js';
import type { Manifest } from '../core/session/manifest-types.js';
import { parseSessionName } from '../core/session/name.js';
import { validateSessionDir } from '../session/validate-session-dir.js';

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

const ndjson = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);

export async function gather(o: GatherOptions): Promise<AuditInput & { deepChecked: number }> {
  const random = o.random ?? Math.random;
  const sinceDay = o.since?.replace(/-/g, '');
  const inScope = (session: string) => !sinceDay || session.slice(0, 8) >= sinceDay;
  o.reporter.step('listing the raw store');
  const rawList = (await o.raw.list(RAW_PREFIX)).filter((x) => inScope(x.key.split('/')[2] ?? ''));
  const rawObjects = new Map(rawList.map((x) => [x.key, { size: x.size, lastModified: x.lastModified?.getTime() ?? 0 }]));
  const manifests: AuditInput['manifests'] = new Map();
  for (const x of rawList) {
    const ref = sessionOfManifestKey(x.key);
    if (!ref) continue;
    const manifest = JSON.parse((await o.raw.get(x.key)).toString('utf8')) as Manifest;
    manifests.set(`${ref.rig}/${ref.session}`, { manifest, committedAt: x.lastModified?.getTime() ?? 0 });
  }
  o.reporter.step('reading the catalog');
  const catalogRows = new Map<string, SessionRow>();
  for (const x of await o.lake.list(`${CATALOG_PREFIX}sessions/`)) {
    for (const row of ndjson<SessionRow>((await o.lake.get(x.key)).toString('utf8'))) if (inScope(row.session ?? '')) catalogRows.set(row.session_id, row);
  }
  const fileRows: ProcessedFileRow[] = [];
  for (const x of await o.lake.list(`${CATALOG_PREFIX}files/`)) {
    for (const row of ndjson<ProcessedFileRow>((await o.lake.get(x.key)).toString('utf8'))) if (inScope(row.session_id.split('/')[1] ?? '')) fileRows.push(row);
  }
  const ledger = new Map<string, LedgerEntry>();
  for (const x of await o.lake.list(`${CATALOG_PREFIX}ledger/${o.pipeline}/${o.pipelineVersion}/`)) {
    const e = JSON.parse((await o.lake.get(x.key)).toString('utf8')) as LedgerEntry;
    if (inScope(e.session_id.split('/')[1] ?? '')) ledger.set(e.session_id, e);
  }
  const outputs = new Map<string, { size: number }>();
  for (const x of await o.lake.list('processed/')) outputs.set(x.key, { size: x.size });

  o.reporter.step(`re-hashing a ${Math.round(o.deepSample * 100)}% sample`);
  const rawHashes = new Map<string, string>();
  const outputHashes = new Map<string, string>();
  let deepChecked = 0;
  for (const [, { manifest }] of manifests) {
    for (const f of manifest.files) {
      const key = `${RAW_PREFIX}${manifest.rig}/${manifest.session}/${f.name}`;
      if (rawObjects.get(key)?.size === f.size && random() < o.deepSample) {
        rawHashes.set(key, await hashObject(o.raw, key));
        deepChecked++;
      }
    }
  }
  for (const r of fileRows) {
    if (outputs.get(r.key)?.size === r.bytes && random() < o.deepSample) {
      outputHashes.set(r.key, await hashObject(o.lake, r.key));
      deepChecked++;
    }
  }
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
    staleUploads: [],
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
