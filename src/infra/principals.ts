/**
 * The two principals the protections exempt, as ARNs in the stack's own partition (a literal
 * `arn:aws:` would lock break-glass out in GovCloud and China): the break-glass role, and the
 * role CloudFormation deploys the stack with.
 */
import { DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** The break-glass role's ARN. */
export function breakGlassArn(scope: Construct, cfg: InfraConfig): string {
  const { partition, account } = Stack.of(scope);
  return `arn:${partition}:iam::${account}:role/${cfg.breakGlassRoleName}`;
}

/**
 * The role CloudFormation deploys this stack with: the `deployRoleArn` setting, else the CDK
 * bootstrap's execution role when the default synthesizer is used (the one `cdk deploy` uses).
 * Throws when neither is known: the raw bucket and key policies must name who may update them,
 * or the next deploy would fail on its own denies.
 */
export function deployRoleArn(scope: Construct, cfg: InfraConfig): string {
  if (cfg.deployRoleArn) return cfg.deployRoleArn;
  const synth = Stack.of(scope).synthesizer;
  // The synthesizer's ARN carries ${AWS::Partition}-style placeholders: Fn::Sub resolves them.
  if (synth instanceof DefaultStackSynthesizer) return Fn.sub(synth.cloudFormationExecutionRoleArn);
  throw new Error(
    'context "deployRoleArn" is required with a custom synthesizer: the raw bucket and key policies must name the role CloudFormation deploys with',
  );
}
