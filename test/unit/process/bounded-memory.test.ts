/**
 * Processing holds no whole file anywhere (issue 19): proven by construction with stores that
 * record how bytes move, so it holds for a 5 GiB file as for this 24 MiB one. The real 5 GiB
 * run is scripts/bench-big.js (figures in docs/performance.md).
 */
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { catalogFilesKey, processedFileKey } from '../../../src/core/layout.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { bigSession, CHUNK, REF } from './fixture.js';

describe('streaming processing', () => {
  it('reads raw data only as streams, streams the .npy to the lake in small chunks, and puts nothing large whole', async () => {
    // Prepare: 24 MiB + a partial frame at the end (ignored, as before).
    const size = 24 * 1024 * 1024 + 2;
    const { raw, lake } = await bigSession(size);
    // Act
    const outcome = await processSession(REF, { raw, lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });
    // Assess
    expect(outcome.status).toBe('done');
    expect(raw.reads.filter((r) => r.key.endsWith('data.bin')).map((r) => r.via)).toEqual(['stream', 'stream']);
    const npyKey = processedFileKey(REF, 'default', '1', 'data.npy');
    const streamed = lake.streamPuts.find((p) => p.key === npyKey)!;
    const frames = Math.floor(size / 4);
    expect(streamed.bytes).toBe(128 + frames * 2 * 4);
    // Each chunk handed to the store is the float32 of one raw chunk (int16 -> 2x), never a file.
    expect(streamed.maxChunk).toBeLessThanOrEqual(2 * CHUNK);
    // Whole-body puts: the ledger, catalog rows, index, stats and provenance only (all tiny).
    expect(Math.max(...lake.putSizes.filter((p) => p.key !== npyKey).map((p) => p.bytes))).toBeLessThan(16 * 1024);
    const index = (await lake.get(catalogFilesKey(REF, 'default', '1')))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(index.map((r) => [r.file, r.bytes])).toEqual([
      ['data.npy', streamed.bytes],
      ['data.stats.json', expect.any(Number)],
      ['_provenance.json', expect.any(Number)],
    ]);
    const stats = JSON.parse((await lake.get(processedFileKey(REF, 'default', '1', 'data.stats.json'))).toString());
    expect(stats).toMatchObject({ samples: frames, channels: 2 });
  });
});
