/** Builds the processing dependencies from the configuration. */
import type { Config } from '../../config/schema.js';
import type { Logger, ObjectStore } from '../../core/ports.js';
import { decodeProcessor } from './steps/decode.js';
import { externalProcessor } from './steps/external.js';
import type { ProcessDeps } from './process-session.js';

export function processDeps(config: Config, raw: ObjectStore, lake: ObjectStore, logger: Logger, pipelineVersion = config.pipelineVersion): ProcessDeps {
  return {
    raw,
    lake,
    logger,
    pipeline: config.pipeline,
    pipelineVersion,
    processor: config.processorCommand ? externalProcessor(config.processorCommand) : decodeProcessor,
    revisionPolicy: config.acceptRevisions,
  };
}
