/**
 * The body of an error answer, read by the raw GET reader so the one S3 classifier sees S3's
 * `<Code>` (a 403 "Request has expired" and a 403 AccessDenied call for different things). The
 * body is small XML: it is taken whole up to 64 KB, by its Content-Length, its chunks, or until
 * the connection closes; past 64 KB what came is enough (the code comes first).
 */
const MAX_ERROR_BODY = 64 * 1024;

export class ErrorAnswer {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private readonly length: number | undefined;
  private readonly chunked: boolean;

  constructor(
    readonly status: number,
    headers: Map<string, string>,
  ) {
    const cl = headers.get('content-length');
    this.length = cl !== undefined && /^\d{1,15}$/.test(cl) ? Number(cl) : undefined;
    this.chunked = (headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
  }

  /** Takes more of the body; true once it is complete (or as much as will be read). */
  feed(b: Buffer): boolean {
    if (b.length > 0) {
      this.chunks.push(Buffer.from(b));
      this.bytes += b.length;
    }
    if (this.bytes >= MAX_ERROR_BODY) return true;
    if (this.chunked) return /(^|\r\n)0\r\n\r\n$/.test(this.raw().subarray(-7).toString('latin1'));
    return this.length !== undefined && this.bytes >= this.length;
  }

  /** The body as text (chunk framing removed). */
  text(): string {
    const raw = this.raw();
    if (!this.chunked) return raw.toString('utf8');
    const parts: Buffer[] = [];
    for (let at = 0; at < raw.length;) {
      const eol = raw.indexOf('\r\n', at);
      const size = eol < 0 ? NaN : parseInt(raw.subarray(at, eol).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(raw.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  private raw(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
