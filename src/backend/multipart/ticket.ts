/**
 * Upload tickets: the API's signed record of a multipart upload it started,
 * `rpu1.<base64url(JSON)>.<base64url(HMAC-SHA256)>` under the token secret (the `rpu1` prefix is
 * inside the MAC, so a token can never pass for a ticket or the reverse). The API keeps no state
 * per upload (it runs as a Lambda), so the client carries the ticket and every later request for
 * the upload is checked against it: the upload id belongs to this key, and the parts signed are
 * exactly the parts of the declared size cut at the declared part size. So no upload's URLs can
 * carry more bytes than were declared (and charged, and checked against the largest file).
 */
import { createHmac } from 'node:crypto';
import { RecpipeError } from '../../core/errors.js';
import { plannedPartSize } from '../../core/ingest/plan.js';
import { macMatches } from '../auth/mac.js';
import { conforms, int, obj, str } from '../../core/shape.js';

/** A ticket's payload, checked once its MAC is (not a stored record: the client hands it back). */
const PAYLOAD = obj({ k: str, u: str, s: int, p: int });

export const TICKET_PREFIX = 'rpu1';

export interface UploadTicket {
  key: string;
  uploadId: string;
  /** Declared size of the object, bytes. */
  size: number;
  /** Length of every part but the last. */
  partSize: number;
}

const mac = (secret: Buffer, data: string) => createHmac('sha256', secret).update(data).digest();
const SHAPE = /^rpu1\.[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{43}$/;

const refused = (why: string) =>
  new RecpipeError('forbidden', `upload ticket refused: ${why}`, {
    hint: 'send the ticket the start of this upload answered with; if it is lost, start the file again',
  });

export function signTicket(t: UploadTicket, secret: Buffer): string {
  const body = `${TICKET_PREFIX}.${Buffer.from(JSON.stringify({ k: t.key, u: t.uploadId, s: t.size, p: t.partSize })).toString('base64url')}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/**
 * The ticket's record, after checking its MAC (constant time) and that it names `key`. Throws
 * RecpipeError('forbidden') for anything malformed, forged or issued for another key.
 */
export function verifyTicket(ticket: unknown, secret: Buffer, key: string): UploadTicket {
  if (typeof ticket !== 'string' || !SHAPE.test(ticket)) throw refused('it is missing or malformed');
  const [prefix, payload, given] = ticket.split('.');
  if (!macMatches(given, mac(secret, `${prefix}.${payload}`))) throw refused('it was not issued by this API');
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw refused('it is malformed');
  }
  if (!conforms(PAYLOAD, p)) throw refused('it is malformed');
  if (p.k !== key) throw refused(`it was issued for another file than ${key}`);
  return { key: p.k, uploadId: p.u, size: p.s, partSize: p.p };
}

/** The signed length of part `partNumber` of the ticket's upload; refuses a part the declaration does not have. */
export function ticketPartSize(t: UploadTicket, partNumber: number): number {
  const size = plannedPartSize(t.size, t.partSize, partNumber);
  if (size === undefined) {
    throw new RecpipeError('usage', `part ${partNumber} is past the end of ${t.key}: ${t.size} bytes declared, in parts of ${t.partSize}`, {
      hint: 'ask only for the parts of the declared size; a file that grew must be started again',
    });
  }
  return size;
}
