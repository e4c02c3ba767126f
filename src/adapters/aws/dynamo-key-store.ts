/**
 * KeyStore in a DynamoDB table (partition key `id`, string), for the aws profile and the auth
 * Lambda. Items hold the record as is: never the key, only its SHA-256. Reads are strongly
 * consistent so a revoke is seen on the next call. The table is tiny (one item per rig key),
 * so `list` scans it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecpipeError } from '../../core/errors.js';
import type { ApiKeyRecord, KeyStore } from '../../backend/ports.js';
import { sortRecords } from '../../backend/keys/sort.js';

const isName = (e: unknown, name: string) => (e as { name?: string } | undefined)?.name === name;

function translate(e: unknown, table: string): RecpipeError {
  if (e instanceof RecpipeError) return e;
  const name = (e as { name?: string })?.name ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return new RecpipeError('config', `key table ${table} does not exist`, {
      hint: 'deploy the stack, or set keysTable (RECPIPE_KEYS_TABLE) to its table name',
      cause: e,
    });
  }
  if (name === 'AccessDeniedException')
    return new RecpipeError('forbidden', `no access to key table ${table}`, { hint: 'use credentials allowed to read and write the key table', cause: e });
  return new RecpipeError('unavailable', `key table ${table} unavailable: ${name}`, { retryable: true, cause: e });
}

export class DynamoKeyStore implements KeyStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly table: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async create(record: ApiKeyRecord): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...record }, ConditionExpression: 'attribute_not_exists(id)' }));
    } catch (e) {
      if (isName(e, 'ConditionalCheckFailedException')) throw new RecpipeError('conflict', `api key id ${record.id} already exists`);
      throw translate(e, this.table);
    }
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
      return out.Item as ApiKeyRecord | undefined;
    } catch (e) {
      throw translate(e, this.table);
    }
  }

  async list(): Promise<ApiKeyRecord[]> {
    const items: ApiKeyRecord[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.doc.send(new ScanCommand({ TableName: this.table, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...((out.Items ?? []) as ApiKeyRecord[]));
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (e) {
      throw translate(e, this.table);
    }
    return sortRecords(items);
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord> {
    try {
      // if_not_exists keeps the first revocation time; the condition turns an unknown id into not_found.
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as ApiKeyRecord;
    } catch (e) {
      if (isName(e, 'ConditionalCheckFailedException')) {
        throw new RecpipeError('not_found', `no api key with id ${JSON.stringify(id)} in ${this.table}`, {
          hint: 'list the ids with `recpipe keys list --profile aws`',
        });
      }
      throw translate(e, this.table);
    }
  }
}
