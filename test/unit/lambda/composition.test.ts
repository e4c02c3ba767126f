import { processDepsFromEnv } from '../../../src/composition/lambda-process.js';
import { apiRouterFromEnv } from '../../../src/composition/lambda-api.js';

const PROCESS_ENV = {
  AWS_REGION: 'eu-west-1',
  RECPIPE_RAW_BUCKET: 'raw-b',
  RECPIPE_LAKE_BUCKET: 'lake-b',
  RECPIPE_JOB_QUEUE: 'q',
  RECPIPE_JOB_DEFINITION: 'd',
};

describe('Lambda services from the composition root', () => {
  it('the process Lambda reads its pipeline through the validated config loader', () => {
    // Act
    const deps = processDepsFromEnv({ ...PROCESS_ENV, RECPIPE_PIPELINE: 'spikes', RECPIPE_PIPELINE_VERSION: '3' });
    // Assess
    expect({ pipeline: deps.pipeline, version: deps.pipelineVersion, raw: deps.raw.bucket, lake: deps.lake.bucket }).toEqual({
      pipeline: 'spikes',
      version: '3',
      raw: 'raw-b',
      lake: 'lake-b',
    });
  });

  it('defaults the pipeline like the CLI does', () => {
    const deps = processDepsFromEnv(PROCESS_ENV);
    expect([deps.pipeline, deps.pipelineVersion]).toEqual(['default', '1']);
  });

  it('refuses a bad RECPIPE_* value, naming the variable, instead of running with it', () => {
    expect(() => processDepsFromEnv({ ...PROCESS_ENV, RECPIPE_LOG_LEVEL: 'loud' })).toThrow(/RECPIPE_LOG_LEVEL/);
  });

  it('requires the buckets the stack sets rather than defaulting to a bucket name', () => {
    expect(() => processDepsFromEnv({ AWS_REGION: 'eu-west-1', RECPIPE_RAW_BUCKET: 'raw-b' })).toThrow(/RECPIPE_LAKE_BUCKET/);
    expect(() => apiRouterFromEnv({ AWS_REGION: 'eu-west-1' })).toThrow(/RECPIPE_RAW_BUCKET/);
  });

  it('requires the container path (job queue and definition) the stack sets', () => {
    expect(() => processDepsFromEnv({ ...PROCESS_ENV, RECPIPE_JOB_QUEUE: '' })).toThrow(/RECPIPE_JOB_QUEUE/);
    expect(() => processDepsFromEnv({ ...PROCESS_ENV, RECPIPE_JOB_DEFINITION: undefined })).toThrow(/RECPIPE_JOB_DEFINITION/);
  });
});
