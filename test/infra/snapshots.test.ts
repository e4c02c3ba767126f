/**
 * Snapshots on AWS: the `snapshots` Glue table reads exactly the rows recpipe writes (same column
 * names as core/snapshot/rows.ts, JSON SerDe, unpartitioned over catalog/snapshots/), and people
 * and nodes may create snapshots only write-once (If-None-Match) and pin them, nothing more.
 */
import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { snapshotRows } from '../../src/core/snapshot/rows.js';
import { tempDir } from '../helpers/tmp.js';

let t: Template;
let outdir: string;
beforeAll(() => {
  outdir = tempDir('rp-cdk-');
  t = Template.fromStack(
    new RecpipeStack(new App({ outdir }), 'Snap', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false }),
  );
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type Res = { Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const all = (type: string) => Object.values(t.findResources(type)) as Res[];
const joined = (r: unknown): string => JSON.stringify(r);

describe('the snapshots table', () => {
  it('is a JSON table over catalog/snapshots/, unpartitioned, with the columns of the rows recpipe writes', () => {
    const table = all('AWS::Glue::Table').find((x) => x.Properties.TableInput.Name === 'snapshots')!.Properties.TableInput;
    expect(table.PartitionKeys ?? []).toEqual([]);
    expect(joined(table.StorageDescriptor.Location)).toContain('/catalog/snapshots/');
    expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    const row = snapshotRows('s', 't', 'q', [
      { session_id: 'r/20210101_000000', revision: 1, pipeline: 'p', pipeline_version: '1', key: 'k', file: 'f', bytes: 1, sha256: 'a', variables: { x: 1 } },
    ])[0];
    expect(table.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name).sort()).toEqual(Object.keys(row).sort());
    expect(table.StorageDescriptor.Columns).toEqual(
      expect.arrayContaining([
        { Name: 'revision', Type: 'bigint' },
        { Name: 'num_vars', Type: 'map<string,double>' },
      ]),
    );
  });

  it('sessions rows carry the revision they describe', () => {
    const sessions = all('AWS::Glue::Table').find((x) => x.Properties.TableInput.Name === 'sessions')!.Properties.TableInput;
    expect(sessions.StorageDescriptor.Columns).toEqual(expect.arrayContaining([{ Name: 'revision', Type: 'bigint' }]));
  });
});

describe('who may write snapshots', () => {
  const statements = (description: RegExp) =>
    all('AWS::IAM::ManagedPolicy').find((p) => description.test(p.Properties.Description))!.Properties.PolicyDocument.Statement as {
      Effect: string;
      Action: string | string[];
      Resource: unknown;
      Condition?: Record<string, Record<string, string>>;
    }[];

  it.each([/query the catalog/, /pull preprocessed outputs/])(
    '%s: PUT a snapshot only with If-None-Match, and its pins; no other lake writes but Athena results',
    (d) => {
      const puts = statements(d).filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'));
      const snapshot = puts.find((s) => joined(s.Resource).includes('/catalog/snapshots/*'))!;
      expect(snapshot.Condition).toEqual({ Null: { 's3:if-none-match': 'false' } });
      expect(puts.find((s) => joined(s.Resource).includes('/catalog/snapshot-pins/*'))?.Condition).toBeUndefined();
      for (const s of puts) expect(joined(s.Resource)).toMatch(/\/(catalog\/snapshots|catalog\/snapshot-pins|athena-results)\/\*/);
    },
  );

  it('the auditor writes nothing', () => {
    expect(statements(/recpipe verify/).filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'))).toEqual([]);
  });
});
