/** Verify's own records under $RECPIPE_HOME/verify: a damaged one is warned about (file and field) and rebuilt; an older report still reads. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecpipeError } from '../../../src/core/errors.js';
import type { Reporter } from '../../../src/core/ports.js';
import { summarize } from '../../../src/core/audit/findings.js';
import { readLastReport, writeLastReport } from '../../../src/features/audit/last-report.js';
import { readRecord, verifyDir } from '../../../src/features/audit/records.js';
import { RIG_HASHES } from '../../../src/features/audit/rig-files.js';
import { scrub } from '../../../src/features/audit/scrub.js';
import { tempDir } from '../../helpers/tmp.js';

const scanned = { localSessions: 0, manifests: 1, rawObjects: 2, catalogRows: 1, outputs: 0, deepChecked: 0 };
const put = (home: string, name: string, text: string) => {
  mkdirSync(verifyDir(home), { recursive: true });
  writeFileSync(join(verifyDir(home), name), text);
};
const warnings = (): Reporter & { warned: string[] } => {
  const warned: string[] = [];
  return { warned, step: () => {}, progress: () => {}, info: () => {}, warn: (m) => warned.push(m), succeed: () => {}, fail: () => {} };
};

describe('verify records', () => {
  it('a damaged scrub record is warned about naming the file and field, and read as empty', async () => {
    const home = tempDir('rp-verifyrec-');
    put(home, 'scrub.json', JSON.stringify({ 'raw/a': { at: 'yesterday', size: 3 } }));
    const reporter = warnings();
    const r = await scrub([], { home, now: 0, periodMs: 1, budgetBytes: 0, reporter });
    expect(r.hashes.size).toBe(0);
    expect(reporter.warned).toEqual([`scrub record ${join(verifyDir(home), 'scrub.json')} cannot be read: raw/a.at must be a whole number (got "yesterday")`]);
  });

  it('a damaged rig hash cache falls back to empty, handing the error on', async () => {
    const home = tempDir('rp-verifyrec-');
    put(home, 'rig-hashes.json', JSON.stringify({ '/r/s/a.bin': { size: 3, mtimeMs: 1, sha256: 7 } }));
    const seen: RecpipeError[] = [];
    expect(await readRecord(home, 'rig-hashes.json', RIG_HASHES, {}, (e) => seen.push(e))).toEqual({});
    expect(seen.map((e) => e.message)).toEqual([
      `rig hash cache ${join(verifyDir(home), 'rig-hashes.json')} cannot be read: /r/s/a.bin.sha256 must be a string (got 7)`,
    ]);
  });

  it('an older last report (counts lacking a newer category, no warnings or revised) still reads', async () => {
    const home = tempDir('rp-verifyrec-');
    const report = summarize([{ category: 'raw_missing', sessionId: 'rig/s', message: 'gone' }], [], scanned, '2026-01-01T00:00:00.000Z');
    await writeLastReport(home, { ...report, revised: [] });
    expect((await readLastReport(home))?.findings[0]).toMatchObject({ category: 'raw_missing', sessionId: 'rig/s' });
    const { damaged_record: _newer, ...olderCounts } = report.counts;
    const { warnings: _w, ...older } = report;
    put(home, 'last-report.json', JSON.stringify({ ...older, counts: olderCounts }));
    const r = await readLastReport(home);
    expect(r).toMatchObject({ checkedAt: '2026-01-01T00:00:00.000Z', warnings: [], revised: [] });
    expect(r?.counts.damaged_record).toBeUndefined();
  });

  it('a damaged last report reads as none, handing the error on', async () => {
    const home = tempDir('rp-verifyrec-');
    const report = summarize([], [], scanned, '2026-01-01T00:00:00.000Z');
    put(home, 'last-report.json', JSON.stringify({ ...report, findings: [{ category: 'nonsense', message: 'x' }] }));
    const seen: RecpipeError[] = [];
    expect(await readLastReport(home, (e) => seen.push(e))).toBeUndefined();
    expect(seen[0].message).toMatch(/^last verify report .*last-report\.json cannot be read: findings\[0\]\.category must be one of/);
  });
});
