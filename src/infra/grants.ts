/**
 * Exactly what each function does, and no more (CDK's grantRead/grantPut add retention, legal
 * hold, tagging, abort and the whole GetObject and List action families). The wildcards left are object-key
 * patterns under exact bucket ARNs; each is accepted where it is, with its reason, by a cdk-nag
 * suppression on that policy only (nagAccept).
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

const allow = (sid: string, actions: string[], resources: string[]) => new iam.PolicyStatement({ sid, actions, resources });

export interface ApiResources {
  raw: s3.Bucket;
  rawKey: kms.Key;
  keys: dynamodb.Table;
  quota: dynamodb.Table;
  tokenSecret: secrets.Secret;
}

/**
 * The API function signs rigs' uploads with its own credentials, so its role is the ceiling of
 * what any rig URL can do: create objects under raw/ (PutObject covers PUT, CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload), read them back for the commit check, list a session.
 * A commit also lists the session's unfinished uploads and aborts them (backend/commit/
 * close-uploads.ts), so no completion signed before it lands after it: an abort discards the
 * parts of an upload that never became an object, and no stored object or version. The API
 * signs no abort for a rig (a URL binds its method and query). No retention, legal hold, tagging
 * or delete.
 */
export function grantApi(fn: lambda.Function, r: ApiResources): void {
  for (const s of [
    allow('WriteAndReadRawObjects', ['s3:PutObject', 's3:GetObject'], [r.raw.arnForObjects('raw/*')]),
    // Unconditioned ListBucket: without it S3 answers a HEAD of a missing key with 403, not 404
    // (S3 API Reference, HeadObject, "Permissions"); a HEAD carries no s3:prefix to match.
    allow('ListRawBucket', ['s3:ListBucket'], [r.raw.bucketArn]),
    // ListMultipartUploads takes no s3:prefix condition (Service Authorization Reference): the
    // bucket it is. It names keys and upload ids, no bytes.
    allow('ListRawUploads', ['s3:ListBucketMultipartUploads'], [r.raw.bucketArn]),
    allow('AbortRawUploads', ['s3:AbortMultipartUpload'], [r.raw.arnForObjects('raw/*')]),
    allow('UseRawKey', ['kms:GenerateDataKey', 'kms:Decrypt'], [r.rawKey.keyArn]),
    allow('ReadApiKeys', ['dynamodb:GetItem'], [r.keys.tableArn]),
    allow('CountQuota', ['dynamodb:UpdateItem'], [r.quota.tableArn]),
    allow('ReadTokenSecret', ['secretsmanager:GetSecretValue'], [r.tokenSecret.secretArn]),
  ])
    fn.addToRolePolicy(s);
  nagAccept(
    fn,
    "the API signs uploads for any rig; each key is built per request from the token's rig (raw/<rig>/<session>/<file>), so only the raw/ prefix can be named here",
    ['raw/*'],
  );
}

export interface ProcessResources {
  raw: s3.Bucket;
  rawKey: kms.Key;
  lake: s3.Bucket;
  lakeKey: kms.Key;
}

/**
 * Processing reads a committed session from raw/ (and the decisions on its revisions, to know
 * which one is served) and writes outputs and catalog rows to the lake: the process function's
 * role and the container job's role hold exactly this.
 */
export function grantProcess(grantee: iam.IGrantable & IConstruct, r: ProcessResources): void {
  for (const s of [
    allow('ReadRawObjects', ['s3:GetObject'], [r.raw.arnForObjects('raw/*'), r.raw.arnForObjects('decisions/*')]),
    allow('DecryptRaw', ['kms:Decrypt'], [r.rawKey.keyArn]),
    allow('WriteLake', ['s3:GetObject', 's3:PutObject'], [r.lake.arnForObjects('catalog/*'), r.lake.arnForObjects('processed/*')]),
    // The ledger is read by HEAD before it exists: 404 needs ListBucket.
    allow('ListLake', ['s3:ListBucket'], [r.lake.bucketArn]),
    allow('UseLakeKey', ['kms:GenerateDataKey', 'kms:Decrypt'], [r.lakeKey.keyArn]),
  ])
    grantee.grantPrincipal.addToPrincipalPolicy(s);
  nagAccept(
    grantee,
    'processing handles any committed session: it reads raw/<rig>/<session>/ and decisions/<rig>/<session>/ and writes processed/ and catalog/ keys built from the session id',
    ['raw/*', 'decisions/*', 'catalog/*', 'processed/*'],
  );
}

/**
 * Accepts AwsSolutions-IAM5 on `scope` (applied to its children, e.g. a role's default policy)
 * for object-key wildcards ending in the given prefixes only, with the reason.
 */
export function nagAccept(scope: IConstruct, reason: string, prefixes: string[]): void {
  const escaped = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  NagSuppressions.addResourceSuppressions(scope, [{ id: 'AwsSolutions-IAM5', reason, appliesTo: [{ regex: `/^Resource::.*\\/(${escaped})$/g` }] }], true);
}
