/**
 * Who may do what on the deployed stack: the one table `npm test` evaluates against the
 * synthesized template with an IAM policy simulator (test/infra/access-matrix.test.ts) and
 * docs/access-matrix.md is generated from (scripts/access-matrix.js). A row names an actor
 * (actors.ts), an IAM action, a target and the request context that matters, and whether AWS
 * must allow or deny it.
 *
 * Targets: `raw-bucket`, `raw:<key>`, `lake-bucket`, `lake:<key>`, `raw-key`, `lake-key`,
 * `topic`, `topic-key`, `manifest-queue`, `workgroup`, `glue-table:<name>`, `job-queue`,
 * `job-definition`, `*` (an action on no resource, such as kms:CreateKey).
 */
import { rawFileKey, manifestKey } from '../../core/layout.js';
import type { ActorName } from './actors.js';

/** One row: expectation and the reason a reviewer reads. */
export interface AccessRow {
  who: ActorName;
  does: string;
  on: string;
  /** Request context beyond what the actor carries (actors.ts). */
  context?: Record<string, string>;
  /** For `rig-url`: the target the URL was signed for (the request it may make). */
  signedFor?: string;
  /** Service control policies in force (by control name, controls.ts). */
  scp?: 'CT.KMS.PV.3';
  expect: 'allow' | 'deny';
  why: string;
}

const A = { rig: 'rig-a', session: '20210301_120000' };
const B = { rig: 'rig-b', session: '20210301_120000' };
const rawA = `raw:${rawFileKey(A, 'data.bin')}`;
const rawB = `raw:${rawFileKey(B, 'data.bin')}`;
const processed = 'lake:processed/default/1/rig-a/20210301_120000/data.npy';
const catalog = 'lake:catalog/sessions/dt=2021-03-01/rig-a_20210301_120000.json';
const snapshot = 'lake:catalog/snapshots/fatigue-v1.json';
/** A write-once put: the client signs If-None-Match, which the bucket policy requires. */
const create = { 's3:if-none-match': '*' };
const alarm = { 'aws:SourceArn': 'arn:{partition}:cloudwatch:{region}:{account}:alarm:recpipe-DeadLetters' };

export const ACCESS_TABLE: AccessRow[] = [
  // CloudFormation must be able to deploy updates (issue 25 item 3; docs/deploy.md).
  { who: 'cloudformation', does: 's3:PutBucketPolicy', on: 'raw-bucket', expect: 'allow', why: 'a stack update rewrites the raw bucket policy' },
  {
    who: 'cloudformation',
    does: 's3:DeleteBucketPolicy',
    on: 'raw-bucket',
    expect: 'allow',
    why: '`cdk destroy` removes the bucket policy (the bucket is retained)',
  },
  { who: 'cloudformation', does: 's3:PutLifecycleConfiguration', on: 'raw-bucket', expect: 'allow', why: 'a stack update changes lifecycle rules' },
  {
    who: 'cloudformation',
    does: 'kms:PutKeyPolicy',
    on: 'raw-key',
    expect: 'allow',
    why: "CloudFormation's KMS update handler calls it; KMS's lockout safety check also requires it of the creator",
  },
  {
    who: 'cloudformation',
    does: 'kms:UpdateKeyDescription',
    on: 'raw-key',
    expect: 'allow',
    why: "CloudFormation's KMS update handler calls it when the description changes",
  },
  {
    who: 'cloudformation',
    does: 'kms:CreateKey',
    on: '*',
    scp: 'CT.KMS.PV.3',
    expect: 'allow',
    why: "first deploy in an account where Control Tower's CT.KMS.PV.3 refuses keys created with the lockout safety check bypassed",
  },
  { who: 'cloudformation', does: 's3:DeleteObjectVersion', on: rawA, expect: 'deny', why: 'deploying never deletes recordings' },
  {
    who: 'cloudformation',
    does: 'kms:ScheduleKeyDeletion',
    on: 'raw-key',
    expect: 'deny',
    why: 'the raw key is retained; only break-glass may schedule its deletion',
  },
  { who: 'cloudformation', does: 'kms:DisableKey', on: 'raw-key', expect: 'deny', why: 'a disabled key makes every recording unreadable' },
  // Nobody but break-glass destroys raw data or its key.
  { who: 'admin', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'raw recordings cannot be recorded again' },
  { who: 'admin', does: 's3:DeleteObjectVersion', on: rawA, expect: 'deny', why: 'raw recordings cannot be recorded again' },
  { who: 'admin', does: 's3:BypassGovernanceRetention', on: rawA, expect: 'deny', why: 'governance-mode Object Lock is only as strong as this deny' },
  { who: 'admin', does: 's3:PutBucketPolicy', on: 'raw-bucket', expect: 'deny', why: 'changing the protection outside CloudFormation' },
  { who: 'admin', does: 'kms:DisableKey', on: 'raw-key', expect: 'deny', why: 'a disabled key makes every recording unreadable' },
  { who: 'admin', does: 'kms:ScheduleKeyDeletion', on: 'raw-key', expect: 'deny', why: 'a deleted key makes every recording unreadable for ever' },
  { who: 'admin', does: 'kms:PutKeyPolicy', on: 'raw-key', expect: 'deny', why: 'a new key policy could drop the deny' },
  { who: 'admin', does: 'kms:CreateGrant', on: 'raw-key', expect: 'deny', why: 'a grant would share the key outside its policy' },
  { who: 'break-glass', does: 's3:DeleteObjectVersion', on: rawA, expect: 'allow', why: 'the deliberate exception (Object Lock retention still applies)' },
  { who: 'break-glass', does: 'kms:DisableKey', on: 'raw-key', expect: 'allow', why: 'the deliberate exception; every such call alarms' },
  // Alarms reach the topic (issue 25 item 2).
  { who: 'cloudwatch', does: 'sns:Publish', on: 'topic', context: alarm, expect: 'allow', why: 'every CloudWatch alarm action publishes here' },
  { who: 'cloudwatch', does: 'kms:GenerateDataKey', on: 'topic-key', context: alarm, expect: 'allow', why: 'the topic is encrypted with its own key' },
  { who: 'cloudwatch', does: 'kms:Decrypt', on: 'topic-key', context: alarm, expect: 'allow', why: 'the topic is encrypted with its own key' },
  {
    who: 'cloudwatch',
    does: 'sns:Publish',
    on: 'topic',
    context: { ...alarm, 'aws:SourceAccount': '999988887777' },
    expect: 'deny',
    why: "another account's alarms (confused deputy)",
  },
  { who: 'eventbridge', does: 'sns:Publish', on: 'topic', expect: 'allow', why: 'the raw-key rule publishes here' },
  { who: 'eventbridge', does: 'kms:GenerateDataKey', on: 'topic-key', expect: 'allow', why: 'the topic is encrypted with its own key' },
  // A committed session starts processing.
  {
    who: 's3',
    does: 'sqs:SendMessage',
    on: 'manifest-queue',
    context: { 'aws:SourceArn': 'raw-bucket' },
    expect: 'allow',
    why: 'the raw bucket notifies the queue',
  },
  {
    who: 's3',
    does: 'sqs:SendMessage',
    on: 'manifest-queue',
    context: { 'aws:SourceArn': 'lake-bucket' },
    expect: 'deny',
    why: 'only the raw bucket feeds processing',
  },
  // Uploads: the API role signs every rig URL.
  { who: 'api-role', does: 's3:PutObject', on: rawA, context: create, expect: 'allow', why: 'signs rig uploads under raw/<rig>/' },
  { who: 'api-role', does: 's3:PutObject', on: `raw:${manifestKey(A)}`, context: create, expect: 'allow', why: 'writes the manifest at commit' },
  { who: 'api-role', does: 's3:PutObject', on: 'raw:other/x.bin', context: create, expect: 'deny', why: 'nothing outside raw/' },
  { who: 'api-role', does: 's3:PutObject', on: rawA, expect: 'deny', why: 'a put without If-None-Match could overwrite' },
  { who: 'api-role', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'uploading never deletes' },
  { who: 'api-role', does: 's3:PutObject', on: processed, context: create, expect: 'deny', why: 'the API has no business in the lake' },
  // A commit ends its session's unfinished uploads, so no completion signed before it lands after it.
  { who: 'api-role', does: 's3:ListBucketMultipartUploads', on: 'raw-bucket', expect: 'allow', why: "the commit lists its session's unfinished uploads" },
  {
    who: 'api-role',
    does: 's3:AbortMultipartUpload',
    on: rawA,
    expect: 'allow',
    why: 'the commit aborts them: parts of an upload that never became an object go; no stored object or version does',
  },
  { who: 'api-role', does: 's3:AbortMultipartUpload', on: 'raw:decisions/rig-a/20210301_120000/2.json', expect: 'deny', why: 'only uploads under raw/' },
  { who: 'rig-url', does: 's3:PutObject', on: rawA, signedFor: rawA, context: create, expect: 'allow', why: 'a URL for its own file works' },
  {
    who: 'rig-url',
    does: 's3:PutObject',
    on: rawB,
    signedFor: rawA,
    context: create,
    expect: 'deny',
    why: "rig-a's URL re-pointed at rig-b's prefix (the signature binds the key)",
  },
  { who: 'rig-url', does: 's3:PutObject', on: rawA, signedFor: rawA, expect: 'deny', why: 'a URL replayed without If-None-Match cannot overwrite' },
  { who: 'rig-url', does: 's3:PutObjectRetention', on: rawA, signedFor: rawA, expect: 'deny', why: 'a URL cannot shorten retention' },
  // Processing.
  { who: 'process-role', does: 's3:GetObject', on: rawA, expect: 'allow', why: 'reads the committed session' },
  { who: 'process-role', does: 'kms:Decrypt', on: 'raw-key', expect: 'allow', why: 'raw objects are encrypted with the raw key' },
  { who: 'process-role', does: 's3:PutObject', on: processed, expect: 'allow', why: 'writes outputs' },
  { who: 'process-role', does: 's3:PutObject', on: catalog, expect: 'allow', why: 'writes catalog rows and the ledger' },
  { who: 'process-role', does: 'kms:GenerateDataKey', on: 'lake-key', expect: 'allow', why: 'lake objects are encrypted with the lake key' },
  { who: 'process-role', does: 's3:PutObject', on: rawA, context: create, expect: 'deny', why: 'processing never writes raw' },
  { who: 'process-role', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'processing never deletes raw' },
  // The container path (sessions too big for the function).
  { who: 'process-role', does: 'batch:SubmitJob', on: 'job-queue', expect: 'allow', why: 'routes a session too big for the function to the container path' },
  { who: 'process-role', does: 'batch:SubmitJob', on: 'job-definition', expect: 'allow', why: 'the job runs `recpipe process --session ... --container-job`' },
  { who: 'api-role', does: 'batch:SubmitJob', on: 'job-queue', expect: 'deny', why: 'only processing starts jobs' },
  { who: 'process-job', does: 's3:GetObject', on: rawA, expect: 'allow', why: 'reads the committed session' },
  { who: 'process-job', does: 'kms:Decrypt', on: 'raw-key', expect: 'allow', why: 'raw objects are encrypted with the raw key' },
  { who: 'process-job', does: 's3:PutObject', on: processed, expect: 'allow', why: 'writes outputs' },
  { who: 'process-job', does: 's3:PutObject', on: catalog, expect: 'allow', why: 'writes catalog rows and the ledger' },
  { who: 'process-job', does: 'kms:GenerateDataKey', on: 'lake-key', expect: 'allow', why: 'lake objects are encrypted with the lake key' },
  { who: 'process-job', does: 's3:PutObject', on: rawA, context: create, expect: 'deny', why: 'processing never writes raw' },
  { who: 'process-job', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'processing never deletes raw' },
  { who: 'process-job', does: 'batch:SubmitJob', on: 'job-queue', expect: 'deny', why: 'a job does not start jobs' },
  // People and nodes.
  { who: 'researcher', does: 's3:GetObject', on: processed, expect: 'allow', why: 'reads outputs' },
  { who: 'researcher', does: 'kms:Decrypt', on: 'lake-key', expect: 'allow', why: 'outputs are encrypted with the lake key' },
  { who: 'researcher', does: 'athena:StartQueryExecution', on: 'workgroup', expect: 'allow', why: 'runs queries in the workgroup' },
  { who: 'researcher', does: 'glue:GetTable', on: 'glue-table:sessions', expect: 'allow', why: 'Athena reads the table definition as the caller' },
  {
    who: 'researcher',
    does: 's3:PutObject',
    on: 'lake:athena-results/q1.csv',
    expect: 'allow',
    why: 'Athena writes query results as the caller (they expire in 7 days)',
  },
  { who: 'researcher', does: 's3:PutObject', on: rawA, context: create, expect: 'deny', why: 'researchers write no raw data' },
  { who: 'researcher', does: 's3:PutObject', on: processed, expect: 'deny', why: 'researchers write no outputs' },
  { who: 'researcher', does: 's3:PutObject', on: catalog, expect: 'deny', why: 'researchers write no catalog rows' },
  { who: 'researcher', does: 's3:DeleteObject', on: processed, expect: 'deny', why: 'researchers delete nothing' },
  { who: 'ec2-node', does: 's3:GetObject', on: processed, expect: 'allow', why: '`recpipe pull` reads outputs' },
  { who: 'ec2-node', does: 'kms:Decrypt', on: 'lake-key', expect: 'allow', why: 'outputs are encrypted with the lake key' },
  { who: 'ec2-node', does: 's3:GetObject', on: rawA, expect: 'deny', why: 'nodes get outputs, not recordings' },
  { who: 'ec2-node', does: 's3:PutObject', on: processed, expect: 'deny', why: 'nodes write nothing' },
  { who: 'auditor', does: 's3:ListBucketMultipartUploads', on: 'raw-bucket', expect: 'allow', why: '`recpipe verify` lists unfinished uploads' },
  { who: 'auditor', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'verify is read-only' },
  { who: 'direct-uploader', does: 's3:PutObject', on: rawA, context: create, expect: 'allow', why: '`upload --direct` writes raw objects itself' },
  {
    who: 'direct-uploader',
    does: 's3:ListBucketMultipartUploads',
    on: 'raw-bucket',
    expect: 'allow',
    why: "its commit lists the session's unfinished uploads, as the API's does",
  },
  { who: 'direct-uploader', does: 's3:AbortMultipartUpload', on: rawA, expect: 'allow', why: 'and aborts them before and after writing the manifest' },
  { who: 'direct-uploader', does: 's3:DeleteObject', on: rawA, expect: 'deny', why: 'uploading never deletes' },
  // Snapshots: written once, never replaced or deleted (issue 28), by identity policy and by the lake's bucket policy.
  { who: 'researcher', does: 's3:PutObject', on: snapshot, context: create, expect: 'allow', why: '`recpipe snapshot create` writes a new name once' },
  { who: 'ec2-node', does: 's3:PutObject', on: snapshot, context: create, expect: 'allow', why: '`recpipe snapshot create` on a node' },
  { who: 'researcher', does: 's3:PutObject', on: snapshot, expect: 'deny', why: 'a PUT without If-None-Match could replace a snapshot' },
  {
    who: 'process-role',
    does: 's3:PutObject',
    on: snapshot,
    expect: 'deny',
    why: 'processing writes catalog/*, yet never replaces a snapshot (the lake bucket policy)',
  },
  { who: 'admin', does: 's3:PutObject', on: snapshot, expect: 'deny', why: 'not even an administrator replaces a snapshot' },
  {
    who: 'admin',
    does: 's3:DeleteObject',
    on: snapshot,
    expect: 'deny',
    why: 'a deleted snapshot would survive only as a noncurrent version, expired after 30 days',
  },
  { who: 'break-glass', does: 's3:DeleteObject', on: snapshot, expect: 'allow', why: 'the deliberate exception' },
];
