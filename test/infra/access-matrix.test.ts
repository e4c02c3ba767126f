/**
 * The access matrix (src/infra/access-matrix/table.ts), evaluated against the synthesized
 * template by an IAM policy simulator: every must-allow row allowed, every must-deny row
 * denied, in the commercial partition and in China's (no hard-coded `arn:aws:`). A template
 * with one protection removed and one grant broken fails exactly those rows, and
 * docs/access-matrix.md is the rendering of this table.
 */
import { readFileSync } from 'node:fs';
import { ACCESS_TABLE } from '../../src/infra/access-matrix/table.js';
import { evaluateRow, type Verdict } from '../../src/infra/access-matrix/evaluate.js';
import { landscapeOf } from '../../src/infra/access-matrix/landscape.js';
import { renderAccessMatrix } from '../../src/infra/access-matrix/render.js';
import type { CfnTemplate } from '../../src/infra/access-matrix/resolve.js';
import { synthTemplate, TEST_ENV } from '../../src/infra/access-matrix/synth.js';

let template: CfnTemplate;
beforeAll(() => {
  template = synthTemplate();
});

const title = (r: (typeof ACCESS_TABLE)[number]) =>
  `${r.expect}: ${r.who} ${r.does} ${r.on}${r.signedFor && r.signedFor !== r.on ? ` (URL for ${r.signedFor})` : ''}`;
/** Rows whose decision differs from their expectation. */
const broken = async (t: CfnTemplate, partition = 'aws') => {
  const l = landscapeOf(t, { ...TEST_ENV, partition });
  const verdicts = await Promise.all(ACCESS_TABLE.map((row) => evaluateRow(row, l)));
  return verdicts.filter((v) => v.decision !== v.row.expect).map((v) => `${title(v.row)} -> ${v.decision} (${v.decidedBy})`);
};

describe('the access matrix on the synthesized template', () => {
  it.each(ACCESS_TABLE.map((r) => [title(r), r] as const))('%s', async (_t, row) => {
    const v = await evaluateRow(row, landscapeOf(template, TEST_ENV));
    expect(`${v.decision} (${v.decidedBy})`).toMatch(new RegExp(`^${row.expect} `));
  });

  it('holds in the China partition too: every ARN follows AWS::Partition', async () => {
    expect(await broken(template, 'aws-cn')).toEqual([]);
  });
});

describe('a broken template fails the matrix', () => {
  type Stmt = { Sid?: string; Condition?: Record<string, Record<string, unknown>> };
  const statementsOf = (t: CfnTemplate, type: string, field: string) =>
    Object.values(t.Resources)
      .filter((r) => r.Type === type)
      .flatMap((r) => (r.Properties![field] as { Statement: Stmt[] }).Statement);

  it('catches a deleted must-deny protection and a narrowed must-allow exemption, and nothing else', async () => {
    // Prepare: drop the raw bucket's data-delete deny; take CloudFormation out of the
    // protection-change exemption (break-glass only, as before issue 25).
    const t = structuredClone(template);
    for (const r of Object.values(t.Resources).filter((x) => x.Type === 'AWS::S3::BucketPolicy')) {
      const doc = r.Properties!.PolicyDocument as { Statement: Stmt[] };
      doc.Statement = doc.Statement.filter((s) => s.Sid !== 'DenyDataDeletes');
    }
    const config = statementsOf(t, 'AWS::S3::BucketPolicy', 'PolicyDocument').find((s) => s.Sid === 'DenyProtectionChangesOutsideCloudFormation')!;
    const exempt = config.Condition!.ArnNotLike['aws:PrincipalArn'] as unknown[];
    config.Condition!.ArnNotLike['aws:PrincipalArn'] = exempt[0];
    // Act
    const failures = await broken(t);
    // Assess: the admin's deletes are now allowed, CloudFormation's policy updates refused.
    expect(failures.map((f) => f.split(' -> ')[0]).sort()).toEqual(
      [
        'deny: admin s3:DeleteObject raw:raw/rig-a/20210301_120000/data.bin',
        'deny: admin s3:DeleteObjectVersion raw:raw/rig-a/20210301_120000/data.bin',
        'deny: admin s3:BypassGovernanceRetention raw:raw/rig-a/20210301_120000/data.bin',
        'deny: cloudformation s3:DeleteObjectVersion raw:raw/rig-a/20210301_120000/data.bin',
        'allow: cloudformation s3:PutBucketPolicy raw-bucket',
        'allow: cloudformation s3:DeleteBucketPolicy raw-bucket',
        'allow: cloudformation s3:PutLifecycleConfiguration raw-bucket',
      ].sort(),
    );
  });
});

describe('docs/access-matrix.md', () => {
  it('is the rendering of the table on the current template (regenerate: node scripts/access-matrix.js)', async () => {
    const l = landscapeOf(template, TEST_ENV);
    const verdicts: Verdict[] = await Promise.all(ACCESS_TABLE.map((row) => evaluateRow(row, l)));
    expect(readFileSync(new URL('../../docs/access-matrix.md', import.meta.url), 'utf8')).toBe(renderAccessMatrix(verdicts));
  });
});
