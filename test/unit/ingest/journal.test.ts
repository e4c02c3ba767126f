import { emptyJournal, reconcileFile } from '../../../src/core/ingest/journal-types.js';
import { planParts } from '../../../src/core/ingest/plan.js';
import { buildManifest } from '../../../src/core/ingest/manifest.js';
import { revisionChanges } from '../../../src/core/session/revisions.js';

describe('upload journal', () => {
  it('keeps a file entry while the file is unchanged, and resets it when it changed', () => {
    const j = emptyJournal('rig-a', '20210301_100000', '/d');
    const e = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 5);
    e.uploadId = 'u1';
    e.ticket = 'rpu1.t.mac';
    e.doneParts.push({ partNumber: 1, etag: 'x', checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } });
    expect(reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 5)).toBe(e);
    expect(reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 16)).toBe(e);
    const fresh = reconcileFile(j, { name: 'a.bin', size: 11, mtimeMs: 2 }, 5);
    expect(fresh).not.toBe(e);
    expect(fresh.doneParts).toEqual([]);
  });

  it('starts again an upload begun without a ticket (an older client): the API signs no part URL for it', () => {
    const j = emptyJournal('rig-a', '20210301_100000', '/d');
    const e = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 5);
    e.uploadId = 'u1';
    e.doneParts.push({ partNumber: 1, etag: 'x', checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } });
    const again = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 5);
    expect(again).not.toBe(e);
    expect(again.uploadId).toBeUndefined();
    expect(again.doneParts).toEqual([]);
  });

  it('resets a file entry when the inode or ctime changed, even with the same size and mtime', () => {
    const j = emptyJournal('rig-a', '20210301_100000', '/d');
    const e = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1, ino: 7, ctimeMs: 3 }, undefined);
    e.sha256 = 'a'.repeat(64);
    expect(reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1, ino: 7, ctimeMs: 3 }, undefined)).toBe(e);
    expect(reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1, ino: 8, ctimeMs: 3 }, undefined).sha256).toBeUndefined();
    const again = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1, ino: 8, ctimeMs: 3 }, undefined);
    again.sha256 = 'b'.repeat(64);
    expect(reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1, ino: 8, ctimeMs: 4 }, undefined).sha256).toBeUndefined();
  });

  it('cuts files into parts that cover every byte once', () => {
    const parts = planParts(23, 5);
    expect(parts.map((p) => p.size)).toEqual([5, 5, 5, 5, 3]);
    expect(parts.reduce((n, p) => n + p.size, 0)).toBe(23);
    expect(planParts(0, 5)).toEqual([]);
    expect(planParts(100_000 * 10, 1).length).toBeLessThanOrEqual(10_000);
  });

  it('compares manifests by content, not by who made them or when', () => {
    const session = {
      dir: '/d',
      session: '20210301_100000',
      recordedAt: '2021-03-01T10:00:00',
      metadataFile: 'm.txt',
      variables: { numeric: { a: 1 }, text: {} },
      files: [{ name: 'a.bin', path: '/d/a.bin', role: 'data' as const, size: 1, mtimeMs: 0 }],
      totalBytes: 1,
    };
    const m1 = buildManifest({
      session,
      rig: 'rig-a',
      sha256: { 'a.bin': 'a'.repeat(64) },
      client: { name: 'recpipe', version: '1', host: 'h1', transport: 'api' },
      createdAt: 'x',
    });
    const m2 = buildManifest({
      session,
      rig: 'rig-a',
      sha256: { 'a.bin': 'a'.repeat(64) },
      client: { name: 'recpipe', version: '2', host: 'h2', transport: 'api' },
      createdAt: 'y',
    });
    expect(revisionChanges(m1, m2)).toEqual([]);
    const m3 = buildManifest({ session, rig: 'rig-a', sha256: { 'a.bin': 'b'.repeat(64) }, client: m1.client, createdAt: 'x' });
    expect(revisionChanges(m1, m3)).toEqual(['a.bin']);
  });
});
