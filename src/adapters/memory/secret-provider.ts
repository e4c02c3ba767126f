import type { SecretProvider } from '../../backend/ports.js';

/** A fixed token secret (tests). */
export class StaticSecretProvider implements SecretProvider {
  constructor(private readonly secret: Buffer) {}

  async tokenSecret(): Promise<Buffer> {
    return this.secret;
  }
}
