/**
 * Organization controls the stack must deploy under, as AWS publishes them.
 *
 * CT.KMS.PV.3 ("Require that an AWS KMS key is configured with the bypass policy lockout safety
 * check enabled"), AWS Control Tower control reference,
 * https://docs.aws.amazon.com/controltower/latest/controlreference/ct-kms-pv-3.html: an SCP that
 * denies kms:CreateKey and kms:PutKeyPolicy when kms:BypassPolicyLockoutSafetyCheck is true
 * (written here without its optional ExemptedPrincipalArns parameter).
 */
import type { PolicyDoc } from './landscape.js';

/** The SCPs by control name, each with FullAWSAccess beside it (SCPs only ever take away). */
export const CONTROLS: Record<'CT.KMS.PV.3', PolicyDoc[]> = {
  'CT.KMS.PV.3': [
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CTKMSPV3',
          Effect: 'Deny',
          Action: ['kms:CreateKey', 'kms:PutKeyPolicy'],
          Resource: '*',
          Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
        },
      ],
    },
  ],
};
