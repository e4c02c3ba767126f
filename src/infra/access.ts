/**
 * Managed policies for people and machines: researchers query the catalog in the workgroup and
 * read outputs; the EC2 node reads outputs (and may query); the auditor lists and reads every
 * layer for `recpipe verify`. None may ever delete raw data.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Catalog } from './catalog.js';
import { nagAccept } from './grants.js';

export class Access extends Construct {
  readonly researcher: iam.ManagedPolicy;
  readonly ec2Node: iam.ManagedPolicy;
  readonly auditor: iam.ManagedPolicy;
  readonly directUploader: iam.ManagedPolicy;
  readonly curator: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, lake: s3.Bucket, raw: s3.Bucket, key: kms.Key, rawKey: kms.Key, catalog: Catalog) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const workgroupArn = `arn:${partition}:athena:${region}:${account}:workgroup/${catalog.workgroup.name}`;
    const glueArns = [
      `arn:${partition}:glue:${region}:${account}:catalog`,
      `arn:${partition}:glue:${region}:${account}:database/${catalog.database}`,
      `arn:${partition}:glue:${region}:${account}:table/${catalog.database}/*`,
    ];
    const query = [
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        resources: [workgroupArn],
      }),
      new iam.PolicyStatement({ actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'], resources: glueArns }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [lake.arnForObjects('catalog/*'), lake.arnForObjects('athena-results/*')] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [lake.arnForObjects('athena-results/*')] }),
    ];
    const readOutputs = [
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [lake.arnForObjects('processed/*'), lake.arnForObjects('catalog/*')] }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [lake.bucketArn] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    ];
    // `recpipe snapshot create`: a snapshot is written once (the If-None-Match condition makes an
    // unconditional PUT, which could replace one, fail), its pins as often as a create is retried.
    const snapshots = [
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [lake.arnForObjects('catalog/snapshots/*')],
        conditions: { Null: { 's3:if-none-match': 'false' } },
      }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [lake.arnForObjects('catalog/snapshot-pins/*')] }),
    ];
    // Reading raw/ needs the raw bucket's own key (raw-key.ts).
    const readRawKey = new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [rawKey.keyArn] });
    const neverDeleteRaw = new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:PutBucketPolicy'],
      resources: [raw.bucketArn, raw.arnForObjects('*')],
    });
    this.researcher = new iam.ManagedPolicy(this, 'Researcher', {
      description: 'recpipe: query the catalog and read preprocessed outputs',
      statements: [
        ...query,
        ...readOutputs,
        ...snapshots,
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [raw.arnForObjects('raw/*'), raw.arnForObjects('decisions/*')] }),
        readRawKey,
        neverDeleteRaw,
      ],
    });
    this.ec2Node = new iam.ManagedPolicy(this, 'Ec2Node', {
      description: 'recpipe: pull preprocessed outputs onto an EC2 node',
      statements: [...query, ...readOutputs, ...snapshots, neverDeleteRaw],
    });
    // `recpipe verify` (read-only): list and read every layer, including unfinished multipart
    // uploads on the raw bucket. --repair needs write access and is run by an operator role.
    this.auditor = new iam.ManagedPolicy(this, 'Auditor', {
      description: 'recpipe: audit every layer with recpipe verify (read-only)',
      statements: [
        ...readOutputs,
        new iam.PolicyStatement({
          actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:GetBucketLocation'],
          resources: [raw.bucketArn, lake.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [raw.arnForObjects('raw/*'), raw.arnForObjects('decisions/*'), lake.arnForObjects('catalog/*'), lake.arnForObjects('processed/*')],
        }),
        readRawKey,
        neverDeleteRaw,
      ],
    });
    // `recpipe upload --direct`: what the API function itself may do on the raw bucket (write
    // new objects under raw/, read them back for the commit check, end the session's unfinished
    // uploads at commit), no more.
    this.directUploader = new iam.ManagedPolicy(this, 'DirectUploader', {
      description: 'recpipe: upload sessions with recpipe upload --direct (write-once raw/ objects)',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [raw.arnForObjects('raw/*')],
        }),
        // No s3:prefix condition: the commit HEADs the manifest before it exists, and S3 answers a
        // HEAD of a missing key with 404 only to a caller allowed ListBucket (a HEAD has no prefix).
        new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [raw.bucketArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [rawKey.keyArn] }),
        neverDeleteRaw,
      ],
    });
    // `recpipe revisions accept/reject`: a person (the lab manager) records a decision on a held
    // revision. Only here may decisions/ be written: the API role (which signs every rig URL) holds
    // raw/* alone, so no rig can accept its own changed bytes. Decisions are write-once like raw/.
    this.curator = new iam.ManagedPolicy(this, 'Curator', {
      description: 'recpipe: accept or reject held revisions with recpipe revisions (write-once decisions/)',
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [raw.arnForObjects('decisions/*')] }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [raw.arnForObjects('raw/*'), raw.arnForObjects('decisions/*')] }),
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [raw.bucketArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [rawKey.keyArn] }),
        neverDeleteRaw,
      ],
    });
    const why =
      'object-key patterns under exact bucket ARNs: a role that reads or writes any session, output or catalog row must name their prefixes (raw/*, decisions/*, processed/*, catalog/*, athena-results/*) and the Glue tables of its one database (table/<db>/*)';
    for (const p of [this.researcher, this.ec2Node, this.auditor, this.directUploader, this.curator])
      nagAccept(p, why, [
        'raw/*',
        'decisions/*',
        'processed/*',
        'catalog/*',
        'catalog/snapshots/*',
        'catalog/snapshot-pins/*',
        'athena-results/*',
        `${catalog.database}/*`,
      ]);
  }
}
