/**
 * A recording cut short mid-frame is archived, not refused: rig -> store bit-identical with a
 * warning at upload, in the manifest and the catalog; processed (whole frames) with what was left
 * out in the provenance and ledger; queryable; and `verify --root` (no --rig: the API key names
 * the rig) reports it as a warning, not a failure.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { runCli } from '../../helpers/cli.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { ledgerKey, manifestKey } from '../../../src/core/layout.js';
import type { Manifest } from '../../../src/core/session/manifest-types.js';
import type { LedgerEntry } from '../../../src/core/catalog/types.js';

const ref = { rig: 'local-rig', session: '20210601_100000' };

describe('a session whose last frame is cut short', () => {
  let stack: TestStack;
  let root: string;
  beforeAll(async () => {
    stack = await startTestStack();
    root = mkdtempSync(join(tmpdir(), 'rp-partial-'));
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('goes rig -> store bit-identical with a warning, is processed (whole frames), queryable, and verify warns', async () => {
    // Prepare: 4 channels x int16 = 8-byte frames; 3 extra bytes are a frame cut short.
    const dir = await generateSession(root, { name: ref.session, files: 2, bytesPerFile: 8_000 });
    appendFileSync(join(dir, 'data_01.bin'), Buffer.from([1, 2, 3]));
    const local = readFileSync(join(dir, 'data_01.bin'));

    // Act + Assess: check and upload accept it and say why it is special.
    const check = await runCli(['check', dir], stack.env);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/warning: .*data_01\.bin: size 8003 is not a multiple of 8 bytes/);
    const up = await runCli(['upload', dir], stack.env);
    expect(up.code).toBe(0);
    expect(up.out).toContain('warning: ');
    expect(up.out).toContain('data_01.bin');
    expect(Buffer.compare(await stack.raw.get(`raw/${ref.rig}/${ref.session}/data_01.bin`), local)).toBe(0);
    const manifest = JSON.parse((await stack.raw.get(manifestKey(ref))).toString('utf8')) as Manifest;
    expect(manifest.warnings).toEqual([expect.objectContaining({ code: 'data.partial_frame', file: 'data_01.bin' })]);

    const done = await processSession(ref, {
      raw: stack.raw,
      lake: stack.lake,
      processor: decodeProcessor,
      pipeline: 'default',
      pipelineVersion: '1',
      logger: nullLogger,
    });
    expect(done.status).toBe('done');
    const ledger = JSON.parse((await stack.lake.get(ledgerKey(ref, 'default', '1'))).toString('utf8')) as LedgerEntry;
    expect(ledger.dropped).toEqual([{ file: 'data_01.bin', bytes: 3, reason: expect.stringContaining('cut short') }]);
    const prov = JSON.parse((await stack.lake.get(`processed/default/1/${ref.rig}/${ref.session}/_provenance.json`)).toString('utf8'));
    expect(prov.dropped).toEqual(ledger.dropped);
    const stats = JSON.parse((await stack.lake.get(`processed/default/1/${ref.rig}/${ref.session}/data_01.stats.json`)).toString('utf8'));
    expect(stats.samples).toBe(1000);

    const q = await runCli(['query', 'channels=4', '--format', 'json'], stack.env);
    expect(q.code).toBe(0);
    const records = JSON.parse(q.out) as Record<string, unknown>[];
    expect(records.find((r) => r.file === 'data_01.npy')).toMatchObject({
      session_id: `${ref.rig}/${ref.session}`,
      warning_count: 1,
      channels: 4,
      sample_format: 'int16le',
    });
    const sql = await runCli(['query', '--format', 'json', '--sql', 'SELECT session_id, warning_count, warnings FROM sessions'], stack.env);
    const row = JSON.parse(sql.out)[0];
    expect(row).toMatchObject({ session_id: `${ref.rig}/${ref.session}`, warning_count: 1 });
    expect(JSON.stringify(row.warnings)).toContain('data.partial_frame');

    const v = await runCli(['--json', 'verify', '--root', root], stack.env);
    const report = JSON.parse(v.out);
    expect(report.findings).toEqual([]);
    expect(v.code).toBe(0);
    expect(report.scanned.localSessions).toBe(1);
    expect(report.warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(
      /data\.partial_frame data_01\.bin[\s\S]*left out 3 bytes of data_01\.bin/,
    );
  });
});
