/**
 * Token secret from AWS Secrets Manager, cached for a few minutes so each Lambda invocation
 * does not pay a call, while a rotated secret is picked up soon after rotation.
 * The secret is SecretBinary (>= 32 bytes) or a SecretString holding base64 or plain text of at least 32 bytes.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RecpipeError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../system/clock.js';
import type { SecretProvider } from '../../backend/ports.js';

export interface SecretsManagerProviderOptions {
  secretId: string;
  client?: SecretsManagerClient;
  /** How long a fetched secret is reused, ms (default 5 min). */
  cacheMs?: number;
  clock?: Pick<Clock, 'now'>;
}

export class SecretsManagerSecretProvider implements SecretProvider {
  private cached?: { secret: Buffer; until: number };
  private pending?: Promise<Buffer>;
  private readonly client: SecretsManagerClient;

  constructor(private readonly options: SecretsManagerProviderOptions) {
    this.client = options.client ?? new SecretsManagerClient({});
  }

  async tokenSecret(): Promise<Buffer> {
    const now = (this.options.clock ?? systemClock).now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.secret;
    // One fetch at a time, shared by concurrent callers.
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    const secret = await this.pending;
    this.cached = { secret, until: now + (this.options.cacheMs ?? 5 * 60_000) };
    return secret;
  }

  private async fetch(): Promise<Buffer> {
    let out;
    try {
      out = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }));
    } catch (e) {
      const name = (e as { name?: string })?.name ?? 'Error';
      throw new RecpipeError('unavailable', `cannot read token secret ${this.options.secretId}: ${name}`, {
        retryable: name !== 'ResourceNotFoundException' && name !== 'AccessDeniedException',
        cause: e,
      });
    }
    const secret = out.SecretBinary ? Buffer.from(out.SecretBinary) : decodeString(out.SecretString ?? '');
    if (secret.length < 32) {
      throw new RecpipeError('config', `token secret ${this.options.secretId} is shorter than 32 bytes`, {
        hint: 'store at least 32 random bytes (the CDK stack generates them)',
      });
    }
    return secret;
  }
}

function decodeString(s: string): Buffer {
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/.test(s) ? Buffer.from(s, 'base64') : undefined;
  return b64 && b64.length >= 32 ? b64 : Buffer.from(s, 'utf8');
}
