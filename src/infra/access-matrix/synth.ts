/**
 * The template the access matrix is evaluated on: the stack synthesized offline with the
 * default settings for one fixed test environment (no bundling), into a temp folder removed at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_INFRA, type InfraConfig } from '../config.js';
import { RecpipeStack } from '../recpipe-stack.js';
import type { CfnTemplate, ResolveEnv } from './resolve.js';

/** The account, region and partition the matrix is written for. */
export const TEST_ENV: ResolveEnv = { partition: 'aws', account: '111122223333', region: 'eu-west-1' };

/** Synthesizes the stack and returns its template (resources and outputs). */
export function synthTemplate(cfg: InfraConfig = DEFAULT_INFRA): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'rp-matrix-cdk-'));
  try {
    const stack = new RecpipeStack(new App({ outdir }), 'Recpipe', cfg, { env: { account: TEST_ENV.account, region: TEST_ENV.region }, bundle: false });
    return Template.fromStack(stack).toJSON() as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
