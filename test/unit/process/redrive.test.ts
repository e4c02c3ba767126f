/**
 * `recpipe process --session` and `verify --repair` re-drive over the stores they are handed:
 * here memory stores, with no stack and no S3 client anywhere, so a re-drive that opened stores
 * of its own would fail.
 */
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { loadConfig } from '../../../src/config/load.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { redriveSessions } from '../../../src/features/process/redrive.js';
import { tempDir } from '../../helpers/tmp.js';
import { bigSession, REF } from './fixture.js';

describe('redriveSessions', () => {
  it('processes again, over the stores it is given, a session that is already done', async () => {
    // Prepare
    const { raw, lake } = await bigSession(4000);
    const config = loadConfig({ env: { RECPIPE_HOME: tempDir('rp-redrive-') } }).config;
    const id = `${REF.rig}/${REF.session}`;
    expect((await redriveSessions({ raw, lake }, config, [id], nullLogger))[0]).toMatchObject({ sessionId: id, ok: true, outcome: { status: 'done' } });
    // Act: a second re-drive is forced (a done session runs again)
    const [again] = await redriveSessions({ raw, lake }, config, [id], nullLogger);
    // Assess
    expect(again).toMatchObject({ sessionId: id, ok: true, outcome: { status: 'done' } });
    const entry = JSON.parse((await lake.get(ledgerKey(REF, config.pipeline, config.pipelineVersion))).toString()) as { attempts: number; state: string };
    expect(entry).toMatchObject({ state: 'done', attempts: 2 });
  });
});
