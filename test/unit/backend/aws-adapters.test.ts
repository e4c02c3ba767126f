import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { DynamoKeyStore } from '../../../src/adapters/aws/dynamo-key-store.js';
import { SecretsManagerSecretProvider } from '../../../src/adapters/aws/secret-provider.js';
import { createRigKey } from '../../../src/backend/keys/enrol.js';

const now = new Date('2026-03-01T10:00:00Z');
const failure = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

describe('DynamoKeyStore', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it('creates items conditionally, holding the hash but never the key', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    const store = new DynamoKeyStore('keys', new DynamoDBClient({ region: 'us-east-1' }));
    // Act
    const key = await createRigKey(store, 'rig-a', now, 'lab');
    // Assess
    const input = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(input).toMatchObject({
      TableName: 'keys',
      ConditionExpression: 'attribute_not_exists(id)',
      Item: { id: key.id, rig: 'rig-a', label: 'lab', createdAt: now.toISOString() },
    });
    expect(JSON.stringify(input)).not.toContain(key.apiKey);
  });

  it('maps an existing id to conflict, an unknown revoke to not_found, a missing table to config', async () => {
    const store = new DynamoKeyStore('keys', new DynamoDBClient({ region: 'us-east-1' }));
    ddb.on(PutCommand).rejects(failure('ConditionalCheckFailedException'));
    ddb.on(UpdateCommand).rejects(failure('ConditionalCheckFailedException'));
    ddb.on(GetCommand).rejects(failure('ResourceNotFoundException'));
    await expect(createRigKey(store, 'rig-a', now)).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.revoke('abcdefghijkl', now)).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.get('abcdefghijkl')).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('keys') });
  });

  it('reads consistently, revokes keeping the first time, and lists every page sorted', async () => {
    const store = new DynamoKeyStore('keys', new DynamoDBClient({ region: 'us-east-1' }));
    const rec = (id: string, createdAt: string) => ({ id, rig: 'rig-a', hash: '0'.repeat(64), createdAt });
    ddb.on(GetCommand).resolves({ Item: rec('abcdefghijkl', now.toISOString()) });
    ddb.on(UpdateCommand).resolves({ Attributes: { ...rec('abcdefghijkl', now.toISOString()), revokedAt: now.toISOString() } });
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [rec('b', '2026-02-01')], LastEvaluatedKey: { id: 'b' } })
      .resolvesOnce({ Items: [rec('a', '2026-01-01')] });
    expect(await store.get('abcdefghijkl')).toMatchObject({ id: 'abcdefghijkl' });
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true, Key: { id: 'abcdefghijkl' } });
    expect((await store.revoke('abcdefghijkl', now)).revokedAt).toBe(now.toISOString());
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input.UpdateExpression).toContain('if_not_exists(revokedAt');
    expect((await store.list()).map((r) => r.id)).toEqual(['a', 'b']);
    expect(ddb.commandCalls(ScanCommand)[1].args[0].input.ExclusiveStartKey).toEqual({ id: 'b' });
  });
});

describe('SecretsManagerSecretProvider', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());
  afterAll(() => sm.restore());

  it('fetches once, caches, and refetches after the cache time', async () => {
    // Prepare
    const clock = new ManualClock(now);
    sm.on(GetSecretValueCommand).resolves({ SecretString: Buffer.alloc(32, 5).toString('base64') });
    const p = new SecretsManagerSecretProvider({
      secretId: 'recpipe/token',
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      cacheMs: 60_000,
      clock,
    });
    // Act
    const [a, b] = await Promise.all([p.tokenSecret(), p.tokenSecret()]);
    await p.tokenSecret();
    clock.advance(60_001);
    await p.tokenSecret();
    // Assess
    expect(a).toEqual(Buffer.alloc(32, 5));
    expect(b).toEqual(a);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'recpipe/token' });
  });

  it('refuses short secrets and reports an unreachable service as unavailable', async () => {
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'short' }).rejectsOnce(failure('InternalServiceError'));
    const p = new SecretsManagerSecretProvider({ secretId: 's', client, cacheMs: 0 });
    await expect(p.tokenSecret()).rejects.toMatchObject({ code: 'config' });
    await expect(p.tokenSecret()).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });
});
