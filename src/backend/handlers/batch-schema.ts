/** The checks of a POST /v1/uploads/batch body (core/api-batch.ts), before anything is looked up or signed. */
import { MAX_BATCH_FILES, MAX_BATCH_PARTS, type BatchPartRequest } from '../../core/api-batch.js';
import type { Checksum } from '../../core/api.js';
import { rawFileKey, type SessionRef } from '../../core/layout.js';
import { attemptOf, bad, checksum, fileName, integer, MAX_OBJECT_BYTES, MAX_PARTS, MAX_PUT_BYTES, object, partSizeOf, sessionName } from './schema.js';

/** One file of a batch, checked; `key` from the token's rig, the session, the name and the attempt. */
export interface BatchFile {
  file: string;
  attempt?: string;
  key: string;
  put?: { size: number; checksum: Checksum };
  start?: { size: number; partSize: number };
  /** Not verified yet (that needs the secret): see multipart/ticket.ts. */
  ticket?: unknown;
  parts: BatchPartRequest[];
  complete: boolean;
}

export interface ParsedBatch {
  ref: SessionRef;
  files: BatchFile[];
  /** Answer the session's state too. */
  state: boolean;
}

export function parseBatch(raw: unknown, rig: string): ParsedBatch {
  const body = object(raw);
  const ref = { rig, session: sessionName(body.session) };
  if (!Array.isArray(body.files) || body.files.length === 0 || body.files.length > MAX_BATCH_FILES)
    throw bad('files', `must be an array of 1 to ${MAX_BATCH_FILES} files`);
  const files = body.files.map((v: unknown, i: number) => parseFile(v, `files[${i}]`, ref));
  const keys = new Set(files.map((f) => f.key));
  if (keys.size !== files.length) throw bad('files', 'must name each file (and attempt) once');
  if (files.reduce((n, f) => n + f.parts.length, 0) > MAX_BATCH_PARTS) throw bad('files', `must ask for at most ${MAX_BATCH_PARTS} parts in all`);
  if (body.state !== undefined && typeof body.state !== 'boolean') throw bad('state', 'must be true or false', body.state);
  return { ref, files, state: body.state === true };
}

function parseFile(value: unknown, at: string, ref: SessionRef): BatchFile {
  const f = object(value, at);
  const file = fileName(f.file, `${at}.file`);
  const attempt = attemptOf(f);
  const out: BatchFile = { file, attempt, key: rawFileKey(ref, file, attempt), parts: [], complete: false };
  if (f.put !== undefined) {
    const p = object(f.put, `${at}.put`);
    if (f.start !== undefined || f.ticket !== undefined || f.parts !== undefined || f.complete !== undefined)
      throw bad(at, 'asks for a single PUT and a multipart upload at once');
    return { ...out, put: { size: integer(p, 'size', 0, MAX_PUT_BYTES), checksum: checksum(p.checksum, ['SHA256', 'CRC32C'], `${at}.put.checksum`) } };
  }
  if (f.start !== undefined) {
    if (f.ticket !== undefined) throw bad(at, 'starts an upload and names one begun earlier');
    const s = object(f.start, `${at}.start`);
    const size = integer(s, 'size', 1, MAX_OBJECT_BYTES);
    out.start = { size, partSize: partSizeOf(s, size) };
  } else if (f.ticket === undefined) throw bad(at, 'needs put, start or the ticket of an upload begun earlier');
  else out.ticket = f.ticket;
  if (f.complete !== undefined && typeof f.complete !== 'boolean') throw bad(`${at}.complete`, 'must be true or false', f.complete);
  out.complete = f.complete === true;
  if (f.parts !== undefined) {
    if (!Array.isArray(f.parts) || f.parts.length > MAX_BATCH_PARTS) throw bad(`${at}.parts`, `must be an array of at most ${MAX_BATCH_PARTS} parts`);
    out.parts = f.parts.map((v: unknown, i: number) => {
      const p = object(v, `${at}.parts[${i}]`);
      return { partNumber: integer(p, 'partNumber', 1, MAX_PARTS), checksum: checksum(p.checksum, ['CRC32C'], `${at}.parts[${i}].checksum`) };
    });
    if (new Set(out.parts.map((p) => p.partNumber)).size !== out.parts.length) throw bad(`${at}.parts`, 'must name each part once');
  }
  if (out.parts.length === 0 && !out.complete && !out.start) throw bad(at, 'asks for nothing');
  return out;
}
