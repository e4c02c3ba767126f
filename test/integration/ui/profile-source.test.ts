/**
 * The web view's data says what the CLI says: right after `verify` found a damaged raw object,
 * the session's page state is failing and names it with the next step (not "nothing wrong").
 */
import { loadConfig } from '../../../src/config/load.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { ProfileSource } from '../../../src/features/ui/profile-source.js';
import { openServices } from '../../../src/composition/services.js';
import { sessionPage } from '../../../src/features/ui/pages/session.js';
import { runCli } from '../../helpers/cli.js';
import { flipStoredByte } from '../../helpers/damage.js';
import { startTestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

it('after verify finds a flipped byte, the session page is failing and names the object and the next step', async () => {
  const stack = await startTestStack();
  try {
    const ref = { rig: 'local-rig', session: '20210610_100000' };
    const id = `${ref.rig}/${ref.session}`;
    const dir = await generateSession(tempDir('rp-ui-src-'), { name: ref.session, files: 1, bytesPerFile: 8192, seed: 3 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    const deps = { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger };
    expect((await processSession(ref, deps)).status).toBe('done');
    const config = loadConfig({ env: stack.env }).config;
    const source = new ProfileSource(config, () => openServices(config, nullLogger));
    expect((await source.session(id)).state).toMatchObject({ kind: 'done', tone: 'ok' });

    flipStoredByte(stack.home, stack.info.buckets.raw, `raw/${id}/data_00.bin`);
    expect((await runCli(['verify'], stack.env)).code).toBe(4);

    const d = await source.session(id);
    expect(d.state).toMatchObject({ kind: 'done', tone: 'failing' });
    expect(d.state!.reasons[0]).toMatchObject({
      source: 'verify',
      category: 'raw_checksum_mismatch',
      next: expect.stringContaining(`recpipe process --session ${id}`),
    });
    const html = sessionPage(id, d).text;
    expect(html).not.toContain('verify found nothing wrong');
    expect(html).toContain('raw_checksum_mismatch');
  } finally {
    await stack.stop();
  }
}, 60_000);
