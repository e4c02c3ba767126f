/** A small known catalog, written the way processing writes it, for query and pull tests. */
import type { ObjectStore } from '../../src/core/ports.js';
import type { ProcessedFileRow, SessionRow } from '../../src/core/catalog/types.js';
import { catalogFilesKey, catalogSessionKey } from '../../src/core/layout.js';

export const FIXTURE: { rig: string; session: string; num: Record<string, number>; text: Record<string, string> }[] = [
  { rig: 'rig-a', session: '20210201_090000', num: { fatigue: 1, temperature_c: 20.5 }, text: { hardware_model: 'NX-100', notes: 'clean run' } },
  { rig: 'rig-a', session: '20210203_090000', num: { fatigue: 3, temperature_c: 22 }, text: { hardware_model: 'NX-200', notes: 'slight DRIFT on ch2' } },
  { rig: 'rig-b', session: '20210210_120000', num: { fatigue: 4 }, text: { hardware_model: 'NX-200', notes: "x' OR '1'='1" } },
  { rig: 'rig-b', session: '20210301_080000', num: { fatigue: 5, temperature_c: 25 }, text: { hardware_model: 'QX-7', notes: '100% done_ok' } },
];

export async function writeCatalog(lake: ObjectStore, pipeline = 'default', version = '1'): Promise<void> {
  for (const f of FIXTURE) {
    const ref = { rig: f.rig, session: f.session };
    const id = `${f.rig}/${f.session}`;
    const d = f.session;
    const row: SessionRow = {
      session_id: id,
      rig: f.rig,
      session: f.session,
      recorded_at: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}`,
      uploaded_at: '2021-03-02T00:00:00Z',
      file_count: 3,
      total_bytes: 3000,
      raw_prefix: `raw/${id}/`,
      manifest_sha256: 'a'.repeat(64),
      metadata_file: 'metadata.txt',
      num_vars: f.num,
      text_vars: f.text,
      registered_at: '2021-03-02T00:00:00Z',
    };
    await lake.put(catalogSessionKey(ref), JSON.stringify(row) + '\n');
    const files: ProcessedFileRow[] = ['data_00.npy', 'data_00.stats.json'].map((file) => ({
      session_id: id,
      pipeline,
      pipeline_version: version,
      key: `processed/${pipeline}/${version}/${id}/${file}`,
      file,
      bytes: 100,
      sha256: 'b'.repeat(64),
      created_at: '2021-03-02T00:00:00Z',
    }));
    await lake.put(catalogFilesKey(ref, pipeline, version), files.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}

/**
 * Real objects behind the fixture's two outputs per session (`<id>/<file>` as content), with the
 * index rows rewritten to their sizes and SHA-256, so pull can download and verify them.
 */
export async function writeFixtureOutputs(lake: ObjectStore): Promise<void> {
  const { createHash } = await import('node:crypto');
  for (const f of FIXTURE) {
    const id = `${f.rig}/${f.session}`;
    const rows: ProcessedFileRow[] = [];
    for (const file of ['data_00.npy', 'data_00.stats.json']) {
      const body = Buffer.from(`${id}/${file}`);
      const key = `processed/default/1/${id}/${file}`;
      await lake.put(key, body);
      const sha256 = createHash('sha256').update(body).digest('hex');
      rows.push({ session_id: id, pipeline: 'default', pipeline_version: '1', key, file, bytes: body.length, sha256, created_at: '' });
    }
    await lake.put(catalogFilesKey({ rig: f.rig, session: f.session }, 'default', '1'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}
