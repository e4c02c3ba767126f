import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoQuotaStore } from '../../../src/adapters/aws/dynamo-quota-store.js';

const failure = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
const charge = { rig: 'rig-a', day: '2026-03-01', bytes: 10, objects: 1, maxBytes: 100, maxObjects: 5 };

describe('DynamoQuotaStore', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => ddb.reset());
  afterAll(() => ddb.restore());
  const store = () => new DynamoQuotaStore('quota', new DynamoDBClient({ region: 'us-east-1' }));

  it('adds the charge in one conditional UpdateItem that leaves room for it, with a TTL two days on', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { bytes: 10, objects: 1 } });
    // Act
    const after = await store().tryCharge(charge);
    // Assess
    expect(after).toEqual({ bytes: 10, objects: 1 });
    const input = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(input).toMatchObject({
      TableName: 'quota',
      Key: { id: 'rig-a/2026-03-01' },
      UpdateExpression: 'ADD #b :b, #o :o SET #t = :t',
      ConditionExpression: '(attribute_not_exists(#b) OR #b <= :bmax) AND (attribute_not_exists(#o) OR #o <= :omax)',
      ExpressionAttributeValues: { ':b': 10, ':o': 1, ':bmax': 90, ':omax': 4, ':t': Date.parse('2026-03-03T00:00:00Z') / 1000 },
    });
  });

  it('answers undefined when the condition fails, and never asks for a charge larger than a ceiling', async () => {
    ddb.on(UpdateCommand).rejects(failure('ConditionalCheckFailedException'));
    expect(await store().tryCharge(charge)).toBeUndefined();
    ddb.reset();
    expect(await store().tryCharge({ ...charge, bytes: 101 })).toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('maps other failures to retryable unavailable, and reads usage consistently', async () => {
    ddb.on(UpdateCommand).rejects(failure('ProvisionedThroughputExceededException'));
    await expect(store().tryCharge(charge)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    ddb.on(GetCommand).resolves({ Item: { id: 'rig-a/2026-03-01', bytes: 5, objects: 2 } });
    expect(await store().usage('rig-a', '2026-03-01')).toEqual({ bytes: 5, objects: 2 });
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true });
  });
});
