/**
 * QuotaStore in a DynamoDB table (partition key `id` = `<rig>/<day>`): one UpdateItem that ADDs
 * the charge under a ConditionExpression bounding the current totals, so DynamoDB applies the
 * check and the increment atomically. Items expire two days later through the table's TTL (`ttl`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecpipeError } from '../../core/errors.js';
import { fits, type QuotaCharge, type QuotaStore, type QuotaUsage } from '../../backend/quota/quota-store.js';

const DAY_SEC = 86_400;

export class DynamoQuotaStore implements QuotaStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly table: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async tryCharge(c: QuotaCharge): Promise<QuotaUsage | undefined> {
    // A charge larger than a ceiling on its own never fits (the condition below would let it
    // through on a fresh item, where the attributes do not exist yet).
    if (!fits({ bytes: 0, objects: 0 }, c)) return undefined;
    const ttl = Math.floor(Date.parse(`${c.day}T00:00:00Z`) / 1000) + 2 * DAY_SEC;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: `${c.rig}/${c.day}` },
          UpdateExpression: 'ADD #b :b, #o :o SET #t = :t',
          // The totals before the charge must leave room for it; a missing attribute is zero.
          ConditionExpression: '(attribute_not_exists(#b) OR #b <= :bmax) AND (attribute_not_exists(#o) OR #o <= :omax)',
          ExpressionAttributeNames: { '#b': 'bytes', '#o': 'objects', '#t': 'ttl' },
          ExpressionAttributeValues: { ':b': c.bytes, ':o': c.objects, ':t': ttl, ':bmax': c.maxBytes - c.bytes, ':omax': c.maxObjects - c.objects },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { bytes: Number(out.Attributes?.bytes ?? 0), objects: Number(out.Attributes?.objects ?? 0) };
    } catch (e) {
      if ((e as { name?: string })?.name === 'ConditionalCheckFailedException') return undefined;
      throw new RecpipeError('unavailable', `quota table ${this.table} unavailable: ${(e as { name?: string })?.name ?? 'Error'}`, {
        retryable: true,
        cause: e,
      });
    }
  }

  async usage(rig: string, day: string): Promise<QuotaUsage> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id: `${rig}/${day}` }, ConsistentRead: true }));
      return { bytes: Number(out.Item?.bytes ?? 0), objects: Number(out.Item?.objects ?? 0) };
    } catch (e) {
      throw new RecpipeError('unavailable', `quota table ${this.table} unavailable: ${(e as { name?: string })?.name ?? 'Error'}`, {
        retryable: true,
        cause: e,
      });
    }
  }
}
