/** The whole AWS side of recpipe, one stack. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Access } from './access.js';
import { Catalog } from './catalog.js';
import { Compute, type ComputeOptions } from './compute.js';
import type { InfraConfig } from './config.js';
import { Monitoring } from './monitoring.js';
import { Storage } from './storage.js';

export class RecpipeStack extends Stack {
  constructor(scope: Construct, id: string, cfg: InfraConfig, props: StackProps & ComputeOptions = {}) {
    super(scope, id, props);
    const storage = new Storage(this, 'Storage', cfg);
    const catalog = new Catalog(this, 'Catalog', cfg, storage.lake, storage.key);
    const compute = new Compute(this, 'Compute', cfg, storage, { bundle: props.bundle });
    const monitoring = new Monitoring(this, 'Monitoring', cfg, compute, storage.rawKey);
    const access = new Access(this, 'Access', storage.lake, storage.raw, storage.key, storage.rawKey, catalog);
    const out = (name: string, value: string) => new CfnOutput(this, name, { value });
    out('ApiUrl', compute.api.api.url);
    out('Region', this.region);
    out('RawBucket', storage.raw.bucketName);
    out('LakeBucket', storage.lake.bucketName);
    out('KeysTable', compute.keys.tableName);
    out('QuotaTable', compute.quota.tableName);
    out('GlueDatabase', catalog.database);
    out('AthenaWorkgroup', catalog.workgroup.name);
    out('AlarmTopic', monitoring.topic.topicArn);
    out('ResearcherPolicy', access.researcher.managedPolicyArn);
    out('Ec2NodePolicy', access.ec2Node.managedPolicyArn);
    out('AuditorPolicy', access.auditor.managedPolicyArn);
    out('CuratorPolicy', access.curator.managedPolicyArn);
    out('DirectUploaderPolicy', access.directUploader.managedPolicyArn);
  }
}
