/**
 * The validated configuration of a Lambda container, for the aws profile's services built in
 * lambda-api.ts and lambda-process.ts (one file per function, so each bundle carries only its
 * own SDK clients). The environment is set by the CDK stack (src/infra/compute.ts).
 */
import { loadConfigFromEnv } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { requireEnv } from '../backend/lambda/env.js';

/** A Lambda has no RECPIPE_HOME; nothing in these services writes there. */
const LAMBDA_HOME = '/tmp/recpipe';

/**
 * The validated configuration of a container: RECPIPE_* through the same loader as the CLI, the
 * region from AWS_REGION (set by Lambda itself), and the buckets required (the stack sets them;
 * a default bucket name would silently point at someone else's).
 */
export function lambdaConfig(env: NodeJS.ProcessEnv, need: { lake: boolean }): Config {
  const region = requireEnv('AWS_REGION', env);
  requireEnv('RECPIPE_RAW_BUCKET', env);
  if (need.lake) requireEnv('RECPIPE_LAKE_BUCKET', env);
  return { ...loadConfigFromEnv(env, 'aws', LAMBDA_HOME).config, region };
}
