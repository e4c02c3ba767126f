/**
 * Glue tables over the catalog's JSON lines, with partition projection on the recording day
 * (no crawler, no MSCK REPAIR; the ledger is unpartitioned), and an Athena workgroup that enforces its result location,
 * encryption and a bytes-scanned limit per query.
 */
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

type Col = [string, string];

/**
 * Days Athena projects for `dt`: from the configured first year to a year after NOW, so a
 * session dated ahead of the clock (a rig's clock, a planned recording) is still seen. 1970
 * (the oldest valid session name) would make every query without a date filter list ~20,000
 * empty partitions per table.
 */
export function dtProjectionRange(firstYear: number): string {
  return `${firstYear}-01-01,NOW+1YEARS`;
}
const SESSIONS: Col[] = [
  ['session_id', 'string'],
  ['rig', 'string'],
  ['session', 'string'],
  ['recorded_at', 'string'],
  ['uploaded_at', 'string'],
  ['file_count', 'bigint'],
  ['total_bytes', 'bigint'],
  ['raw_prefix', 'string'],
  ['manifest_sha256', 'string'],
  ['metadata_file', 'string'],
  ['num_vars', 'map<string,double>'],
  ['text_vars', 'map<string,string>'],
  ['registered_at', 'string'],
  ['warning_count', 'bigint'],
  ['warnings', 'array<struct<code:string,file:string,field:string,message:string>>'],
  ['revision', 'bigint'],
];
const FILES: Col[] = [
  ['session_id', 'string'],
  ['pipeline', 'string'],
  ['pipeline_version', 'string'],
  ['key', 'string'],
  ['file', 'string'],
  ['bytes', 'bigint'],
  ['sha256', 'string'],
  ['created_at', 'string'],
];
// The ledger is small (one object per session x pipeline version) and unpartitioned: an
// injected projection would make Athena refuse every query without pipeline = and
// pipeline_version = (like WHERE state IN (...)). Its rows carry both as fields.
const LEDGER: Col[] = [
  ['session_id', 'string'],
  ['pipeline', 'string'],
  ['pipeline_version', 'string'],
  ['state', 'string'],
  ['attempts', 'bigint'],
  ['last_error', 'string'],
  ['started_at', 'string'],
  ['finished_at', 'string'],
  ['updated_at', 'string'],
  ['code_version', 'string'],
  ['output_count', 'bigint'],
  ['compute_path', 'string'],
];

// Snapshots (`recpipe snapshot create`): one object per snapshot, one line per file, written
// once. Unpartitioned: a lab has tens of snapshots, and queries name one (WHERE snapshot = ...).
const SNAPSHOTS: Col[] = [
  ['snapshot', 'string'],
  ['created_at', 'string'],
  ['query', 'string'],
  ['session_id', 'string'],
  ['revision', 'bigint'],
  ['pipeline', 'string'],
  ['pipeline_version', 'string'],
  ['key', 'string'],
  ['file', 'string'],
  ['bytes', 'bigint'],
  ['sha256', 'string'],
  ['num_vars', 'map<string,double>'],
  ['text_vars', 'map<string,string>'],
];

export class Catalog extends Construct {
  readonly database: string;
  readonly workgroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, cfg: InfraConfig, lake: s3.Bucket, key: kms.Key) {
    super(scope, id);
    this.database = cfg.prefix.replace(/-/g, '_');
    const account = Stack.of(this).account;
    const db = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: this.database, description: 'recpipe catalog (JSON lines in the lake bucket)' },
    });
    const table = (name: string, prefix: string, cols: Col[], partitions: glue.CfnTable.ColumnProperty[], params: Record<string, string>) => {
      const t = new glue.CfnTable(this, name, {
        catalogId: account,
        databaseName: this.database,
        tableInput: {
          name,
          tableType: 'EXTERNAL_TABLE',
          parameters: { classification: 'json', ...params },
          partitionKeys: partitions,
          storageDescriptor: {
            columns: cols.map(([n, type]) => ({ name: n, type })),
            location: `s3://${lake.bucketName}/${prefix}`,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'ignore.malformed.json': 'false' } },
          },
        },
      });
      t.addResourceDependency(db);
      return t;
    };
    const byDay = (prefix: string) => ({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': dtProjectionRange(cfg.catalogFirstYear),
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': `s3://${lake.bucketName}/${prefix}dt=\${dt}/`,
    });
    table('sessions', 'catalog/sessions/', SESSIONS, [{ name: 'dt', type: 'string' }], byDay('catalog/sessions/'));
    table('processed_files', 'catalog/files/', FILES, [{ name: 'dt', type: 'string' }], byDay('catalog/files/'));
    table('ledger', 'catalog/ledger/', LEDGER, [], {});
    table('snapshots', 'catalog/snapshots/', SNAPSHOTS, [], {});
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: cfg.prefix,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cfg.athenaBytesScannedCutoff,
        resultConfiguration: {
          outputLocation: `s3://${lake.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
  }
}
