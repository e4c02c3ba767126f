import { reconcile, type AuditInput } from '../../../src/core/audit/reconcile.js';
import { summarize } from '../../../src/core/audit/findings.js';
import type { Manifest } from '../../../src/core/session/manifest-types.js';
import type { LedgerEntry, ProcessedFileRow, SessionRow } from '../../../src/core/catalog/types.js';

const HOUR = 3600_000;
const NOW = Date.parse('2026-01-10T12:00:00Z');
const id = 'rig-01/20260101_100000';
const prefix = 'raw/rig-01/20260101_100000/';
const sha = (c: string) => c.repeat(64);

function manifest(): Manifest {
  return {
    schema: 'recpipe.manifest/1',
    sessionId: id,
    rig: 'rig-01',
    session: '20260101_100000',
    recordedAt: '2026-01-01T10:00:00',
    metadataFile: 'metadata.txt',
    variables: { numeric: {}, text: {} },
    files: [
      { name: 'a.bin', role: 'data', size: 10, sha256: sha('a') },
      { name: 'metadata.txt', role: 'metadata', size: 5, sha256: sha('b') },
    ],
    fileCount: 2,
    totalBytes: 15,
    client: { name: 'recpipe', version: '0', host: 'h', transport: 'api' },
    createdAt: '2026-01-01T10:00:00Z',
  };
}

/** A fully consistent pipeline: one session uploaded, registered, processed. */
function clean(): AuditInput {
  const old = NOW - 48 * HOUR;
  const row = { session_id: id, file_count: 2, total_bytes: 15 } as SessionRow;
  const fileRow: ProcessedFileRow = {
    session_id: id,
    pipeline: 'default',
    pipeline_version: '1',
    key: 'processed/default/1/rig-01/20260101_100000/a.npy',
    file: 'a.npy',
    bytes: 7,
    sha256: sha('c'),
    created_at: '',
  };
  const ledger = { session_id: id, state: 'done', attempts: 1, updated_at: new Date(old).toISOString() } as LedgerEntry;
  return {
    now: NOW,
    graceMs: 2 * HOUR,
    pipeline: 'default',
    pipelineVersion: '1',
    local: [
      {
        sessionId: id,
        files: [
          { name: 'a.bin', size: 10 },
          { name: 'metadata.txt', size: 5 },
        ],
        changedAt: old,
      },
    ],
    manifests: new Map([[id, { manifest: manifest(), committedAt: old }]]),
    rawObjects: new Map([
      [prefix + 'a.bin', { size: 10, lastModified: old }],
      [prefix + 'metadata.txt', { size: 5, lastModified: old }],
      [prefix + '_manifest.json', { size: 900, lastModified: old }],
    ]),
    rawHashes: new Map([[prefix + 'a.bin', sha('a')]]),
    catalogRows: new Map([[id, row]]),
    fileRows: [fileRow],
    outputs: new Map([[fileRow.key, { size: 7 }]]),
    outputHashes: new Map([[fileRow.key, sha('c')]]),
    ledger: new Map([[id, ledger]]),
    staleUploads: [],
    rawPrefixOf: (s) => `raw/${s}/`,
  };
}

const categories = (input: AuditInput) =>
  reconcile(input)
    .findings.map((f) => f.category)
    .sort();

describe('audit reconcile', () => {
  it('lists content warnings and dropped bytes as warnings, which leave the report clean', () => {
    const input = clean();
    input.manifests.get(id)!.manifest.warnings = [{ code: 'data.partial_frame', file: 'a.bin', message: 'size 10 is not a multiple of 4 bytes' }];
    input.ledger.get(id)!.dropped = [{ file: 'a.bin', bytes: 2, reason: 'last frame cut short' }];
    const r = reconcile(input);
    expect(r.findings).toEqual([]);
    expect(r.warnings).toEqual([
      { sessionId: id, message: 'data.partial_frame a.bin: size 10 is not a multiple of 4 bytes' },
      { sessionId: id, message: 'processing left out 2 bytes of a.bin: last frame cut short' },
    ]);
    const report = summarize(
      r.findings,
      r.inFlight,
      { localSessions: 1, manifests: 1, rawObjects: 3, catalogRows: 1, outputs: 1, deepChecked: 1 },
      '',
      r.warnings,
    );
    expect(report.clean).toBe(true);
    expect(report.warnings).toHaveLength(2);
  });

  it('reports a consistent pipeline as clean', () => {
    const r = reconcile(clean());
    expect(r.findings).toEqual([]);
    expect(summarize(r.findings, r.inFlight, { localSessions: 1, manifests: 1, rawObjects: 3, catalogRows: 1, outputs: 1, deepChecked: 1 }, '').clean).toBe(
      true,
    );
  });

  it.each([
    ['raw_missing', (i: AuditInput) => i.rawObjects.delete(prefix + 'a.bin')],
    ['raw_size_mismatch', (i: AuditInput) => i.rawObjects.set(prefix + 'a.bin', { size: 11, lastModified: 0 })],
    ['raw_checksum_mismatch', (i: AuditInput) => i.rawHashes.set(prefix + 'a.bin', sha('f'))],
    ['orphan_raw_object', (i: AuditInput) => i.rawObjects.set('raw/rig-01/20250101_100000/x.bin', { size: 1, lastModified: 0 })],
    ['stale_upload', (i: AuditInput) => i.staleUploads.push({ key: prefix + 'z.bin', uploadId: 'u1', initiated: 0 })],
    ['not_registered', (i: AuditInput) => i.catalogRows.clear()],
    ['orphan_catalog_row', (i: AuditInput) => i.catalogRows.set('rig-01/20250101_000000', { session_id: 'x', file_count: 1, total_bytes: 1 } as SessionRow)],
    ['output_missing', (i: AuditInput) => i.outputs.clear()],
    ['output_differs', (i: AuditInput) => i.outputHashes.set(i.fileRows[0].key, sha('0'))],
    ['dead_letter', (i: AuditInput) => i.ledger.set(id, { ...i.ledger.get(id)!, state: 'dead', last_error: 'boom', attempts: 3 })],
    ['stuck_running', (i: AuditInput) => i.ledger.set(id, { ...i.ledger.get(id)!, state: 'running', lease_expires_at: new Date(NOW - HOUR).toISOString() })],
    ['local_not_uploaded', (i: AuditInput) => i.local!.push({ sessionId: 'rig-01/20260102_100000', files: [], changedAt: 0 })],
    ['local_differs', (i: AuditInput) => (i.local![0].files[0].size = 9)],
    ['local_content_differs', (i: AuditInput) => (i.local![0].files[0].sha256 = sha('9'))],
    [
      'not_decoded',
      (i: AuditInput) =>
        i.ledger.set(id, {
          ...i.ledger.get(id)!,
          state: 'done_with_gaps',
          undecoded: ['a.bin'],
          dropped: [{ file: 'a.bin', bytes: 10, reason: 'not decoded' }],
        }),
    ],
    // A row without manifest_sha256 (written by hand, or by an old version) is named, not a crash.
    ['catalog_row_differs', (i: AuditInput) => (i.manifests.get(id)!.sha256 = sha('9'))],
    ['scrub_overdue', (i: AuditInput) => (i.scrubOverdue = [{ key: prefix + 'a.bin', size: 10, sessionId: id }])],
    [
      'damaged_record',
      (i: AuditInput) =>
        (i.damaged = [
          { key: 'catalog/ledger/p/1/x.json', sessionId: id, problem: 'ledger entry catalog/ledger/p/1/x.json cannot be read: state must be a string' },
        ]),
    ],
  ])('reports exactly %s for its inconsistency', (category, inject) => {
    const input = clean();
    inject(input);
    expect(categories(input)).toEqual([category]);
    // Every finding names its next step.
    const report = summarize(reconcile(input).findings, [], { localSessions: 1, manifests: 1, rawObjects: 3, catalogRows: 1, outputs: 1, deepChecked: 1 }, '');
    expect(report.findings[0].next!.length).toBeGreaterThan(30);
    if (report.findings[0].repair) expect(report.findings[0].next).toMatch(/recpipe (verify --repair|upload)/);
  });

  it('names the rig file whose bytes changed with both hashes, and leaves it to a person (no --repair)', () => {
    const input = clean();
    input.local![0].files[0].sha256 = sha('9');
    const [f] = reconcile(input).findings;
    expect(f).toMatchObject({ category: 'local_content_differs', sessionId: id, key: 'a.bin' });
    expect(f.message).toContain(sha('9'));
    expect(f.message).toContain(sha('a'));
    expect(f.repair).toBeUndefined();
  });

  it("judges the catalog by the served revision, the rig by the newest, and checks every revision's raw objects", () => {
    const input = clean();
    const newest = {
      ...manifest(),
      revision: 2,
      files: [{ name: 'a.bin', role: 'data' as const, size: 10, sha256: sha('d'), attempt: 'att001' }, manifest().files[1]],
    };
    input.local![0].files[0].sha256 = sha('d');
    input.manifests.set(id, {
      ...input.manifests.get(id)!,
      revision: 2,
      newest,
      pinned: [...manifest().files, ...newest.files],
      revisions: {
        sessionId: id,
        served: 1,
        newest: 2,
        held: [2],
        revisions: [
          { revision: 1, status: 'first', manifestSha256: sha('1'), changed: [], added: [], variablesChanged: false },
          {
            revision: 2,
            status: 'held',
            manifestSha256: sha('2'),
            comparedWith: 1,
            changed: [{ name: 'a.bin', before: { size: 10, sha256: sha('a') }, after: { size: 10, sha256: sha('d') } }],
            added: [],
            variablesChanged: false,
          },
        ],
      },
    });
    // The held revision's object is missing: reported although revision 1 is served.
    expect(categories(input)).toEqual(['raw_missing', 'revision_held']);
    const held = reconcile(input).findings.find((f) => f.category === 'revision_held')!;
    expect(held.message).toMatch(/revision 2 changes archived bytes of a.bin .* held for review, revision 1 is served/);
    input.rawObjects.set(prefix + '_attempts/att001/a.bin', { size: 10, lastModified: 0 });
    expect(reconcile(input).revised).toEqual([{ sessionId: id, revision: 2, served: 1, held: [2] }]);
  });

  it('reports a running entry whose lease expired as stuck even inside the grace period, and a live lease as in flight', () => {
    // Prepare: committed 10 minutes ago (young), processing crashed: the lease ran out a minute ago.
    const input = clean();
    const young = NOW - 10 * 60_000;
    input.manifests.set(id, { manifest: manifest(), committedAt: young });
    input.ledger.set(id, {
      ...input.ledger.get(id)!,
      state: 'running',
      updated_at: new Date(young).toISOString(),
      lease_expires_at: new Date(NOW - 60_000).toISOString(),
    });
    // Act
    const stuck = reconcile(input);
    input.ledger.set(id, { ...input.ledger.get(id)!, lease_expires_at: new Date(NOW + 60_000).toISOString() });
    const live = reconcile(input);
    // Assess
    expect(stuck.findings.map((f) => f.category)).toEqual(['stuck_running']);
    expect(stuck.findings[0].message).toMatch(/lease expired/);
    expect(live.findings).toEqual([]);
    expect(live.inFlight).toEqual([id]);
  });

  it('reports a session without outputs as not_processed, but young ones as in flight', () => {
    const input = clean();
    input.fileRows = [];
    input.outputs.clear();
    expect(categories(input)).toEqual(['not_processed']);
    input.manifests.set(id, { manifest: manifest(), committedAt: NOW - 60_000 });
    input.ledger.delete(id);
    const r = reconcile(input);
    expect(r.findings).toEqual([]);
    expect(r.inFlight).toEqual([id]);
  });

  it('reports a session flagged by processing (integrity) as incomplete, with each differing file as raw_checksum_mismatch', () => {
    const input = clean();
    input.rawHashes.clear();
    input.catalogRows.clear();
    input.fileRows.length = 0;
    input.outputs.clear();
    input.outputHashes.clear();
    const integrity = [{ file: 'a.bin', key: prefix + 'a.bin', manifest_sha256: sha('a'), stored_sha256: sha('e') }];
    input.ledger.set(id, { ...input.ledger.get(id)!, state: 'incomplete', last_error: 'raw data does not match the manifest', integrity });
    const r = reconcile(input);
    expect(r.findings.map((f) => f.category).sort()).toEqual(['incomplete', 'raw_checksum_mismatch']);
    expect(r.findings.find((f) => f.category === 'raw_checksum_mismatch')).toMatchObject({
      key: prefix + 'a.bin',
      message: expect.stringContaining(`SHA-256 ${sha('e')} in the store, ${sha('a')} in the manifest (found by processing`),
    });
    // The deep sample's own hash speaks for the key when it has one: one finding, not two.
    input.rawHashes.set(prefix + 'a.bin', sha('e'));
    expect(categories(input)).toEqual(['incomplete', 'raw_checksum_mismatch']);
  });

  it('reports objects stored after the commit that no manifest lists, and keeps a revision on its way in flight', () => {
    const old = NOW - 48 * HOUR;
    const later = old + HOUR;
    const input = clean();
    input.rawObjects.set(prefix + 'late.bin', { size: 3, lastModified: later });
    input.rawObjects.set(prefix + '_attempts/abcdef12/a.bin', { size: 10, lastModified: later });
    input.rawObjects.set(prefix + '_attempts/bcdefa23/a.bin', { size: 10, lastModified: old - HOUR });
    const r = reconcile(input);
    expect(r.findings.map((f) => [f.category, f.key])).toEqual([
      ['orphan_raw_object', prefix + 'late.bin'],
      ['orphan_raw_object', prefix + '_attempts/abcdef12/a.bin'],
    ]);
    expect(r.findings[0].message).toContain('after the session was committed');
    expect(r.findings[1].message).toContain("after the session's newest commit");
    // The same attempt object, stored a minute ago: a revision being uploaded.
    const fresh = clean();
    fresh.rawObjects.set(prefix + '_attempts/abcdef12/a.bin', { size: 10, lastModified: NOW - 60_000 });
    expect(reconcile(fresh).findings).toEqual([]);
    expect(reconcile(fresh).inFlight).toEqual([id]);
  });
});
