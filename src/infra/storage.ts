/**
 * The buckets. Raw: versioned, Object Lock, KMS, TLS only, no public access, write-once (PUTs
 * must carry If-None-Match), no deletes for anyone but the break-glass role, and no protection
 * changes for anyone but the break-glass role and the CloudFormation execution role. Lake: derived data, with Athena results expiring;
 * snapshots written once and never replaced or deleted (break-glass aside).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { breakGlassArn, deployRoleArn } from './principals.js';
import { RawKey } from './raw-key.js';
import { SNAPSHOTS_PREFIX } from '../core/layout.js';

/** Data-destroying actions: denied to everyone but the break-glass role, CloudFormation included. */
export const DATA_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:DeleteBucket'];

/**
 * Bucket configuration CloudFormation itself must be able to change (a policy, lifecycle or
 * retention update; `cdk destroy` deletes the bucket policy): denied to everyone but the
 * break-glass role and the stack's CloudFormation execution role.
 */
export const CONFIG_ACTIONS = [
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketObjectLockConfiguration',
];

export const PROTECTED_ACTIONS = [...DATA_ACTIONS, ...CONFIG_ACTIONS];

export class Storage extends Construct {
  /** The lake's and Athena results' key. */
  readonly key: kms.Key;
  /** The raw bucket's own key (raw-key.ts). */
  readonly rawKey: kms.Key;
  readonly raw: s3.Bucket;
  readonly lake: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, cfg: InfraConfig) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'recpipe data at rest', removalPolicy: RemovalPolicy.RETAIN });
    this.rawKey = new RawKey(this, 'RawKey', cfg).key;
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'The access-log bucket itself does not log access (it would log into itself).' },
    ]);
    this.raw = new s3.Bucket(this, 'Raw', {
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        cfg.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(cfg.rawRetentionDays))
          : s3.ObjectLockRetention.governance(Duration.days(cfg.rawRetentionDays)),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.rawKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'instant-retrieval-after-30-days',
          transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) }],
        },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    const breakGlass = breakGlassArn(this, cfg);
    const notBreakGlass = { ArnNotLike: { 'aws:PrincipalArn': breakGlass } };
    const deployer = deployRoleArn(this, cfg);
    this.raw.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDataDeletes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: DATA_ACTIONS,
        resources: [this.raw.bucketArn, this.raw.arnForObjects('*')],
        conditions: notBreakGlass,
      }),
    );
    this.raw.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyProtectionChangesOutsideCloudFormation',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: CONFIG_ACTIONS,
        resources: [this.raw.bucketArn],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [breakGlass, deployer] } },
      }),
    );
    this.raw.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOverwrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.raw.arnForObjects('*')],
        // Object-creating requests (PutObject, CompleteMultipartUpload) must carry If-None-Match;
        // CreateMultipartUpload and UploadPart (ObjectCreationOperation false) are not affected.
        conditions: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' }, ...notBreakGlass },
      }),
    );
    this.lake = new s3.Bucket(this, 'Lake', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'lake/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'athena-results-expire', prefix: 'athena-results/', expiration: Duration.days(7) },
        {
          id: 'processed-infrequent-access',
          prefix: 'processed/',
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
        { id: 'old-versions-expire', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    // A snapshot is written once and never changed (`recpipe snapshot create` PUTs it with
    // If-None-Match). The identity policies already say so for people and nodes; this says it for
    // every principal, processing (which writes catalog/*) and administrators included. A
    // replaced or deleted snapshot would survive only as a noncurrent version, which
    // `old-versions-expire` deletes after 30 days.
    const snapshots = this.lake.arnForObjects(`${SNAPSHOTS_PREFIX}*`);
    this.lake.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenySnapshotOverwrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [snapshots],
        conditions: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' }, ...notBreakGlass },
      }),
    );
    this.lake.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenySnapshotDeletes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [snapshots],
        conditions: notBreakGlass,
      }),
    );
  }
}
