/**
 * One multipart file: each part read once into a pooled buffer and sent to a URL signed ahead
 * with its length and CRC32C (the hashing pass computed it: hash-worker.ts), parts journaled as
 * they finish, then the completion signed ahead, its body written here. A part's retry re-sends
 * the same buffer; a URL the store found expired is signed again.
 */
import type { CompleteMultipartRequest, PresignedRequest } from '../../core/api.js';
import { completeMultipartXml } from '../../core/ingest/complete-xml.js';
import type { JournalFile } from '../../core/ingest/journal-types.js';
import { planParts, type PartRange } from '../../core/ingest/plan.js';
import { mapLimit } from '../../core/map-limit.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import { changed, slowDown, type SendContext } from './send-file.js';

/** `allStarted`: called once every part still to send has started (the next file may take the slot). */
export async function sendMultipart(c: SendContext, f: SessionFile, entry: JournalFile, allStarted?: () => void): Promise<void> {
  await c.broker.planned(f.name);
  const have = new Set(entry.doneParts.map((p) => p.partNumber));
  const parts = planParts(f.size, entry.partSize!);
  for (const p of parts) if (have.has(p.partNumber)) c.progress(p.size);
  const todo = parts.filter((p) => !have.has(p.partNumber));
  let started = 0;
  if (todo.length === 0) allStarted?.();
  await mapLimit(todo, c.window.max, (part) =>
    c.scope.run(async (signal) => {
      signal.throwIfAborted();
      await c.window.acquire();
      try {
        await sendPart(c, f, entry, part, signal, () => ++started === todo.length && allStarted?.());
      } finally {
        c.window.release();
      }
    }),
  );
  await c.deps.journals.save(c.journal);
  await complete(c, f, entry);
}

async function sendPart(c: SendContext, f: SessionFile, entry: JournalFile, part: PartRange, signal: AbortSignal, begun: () => void): Promise<void> {
  // The part is read while its URL may still be on its way (the first batch, a batch asked late;
  // its first parts may have been read ahead: upload-send.ts), and goes the moment the URL comes.
  // Memory is the same either way: the part holds its place in the window, the pool bounds the bytes.
  const { buffer, body } = await c.pool.read(f.path, part.offset, part.size);
  begun();
  try {
    if (body.length !== part.size) throw changed(f, 'it became shorter while it was uploaded');
    let signed: Awaited<ReturnType<typeof c.broker.partUrl>> | undefined = await c.broker.partUrl(f.name, part.partNumber);
    const { checksum } = signed;
    const { etag } = await c.retry(
      `part ${part.partNumber} of ${f.name}`,
      async () => {
        signed ??= await c.broker.partUrl(f.name, part.partNumber);
        const at = c.sizer.starting();
        // The store checks the bytes against the CRC32C of the hashing pass: a file changed
        // since is refused (BadDigest), not stored.
        const sent = await c.deps.transport.put(signed.url, { buffer: body }, signal, c.options.throttle);
        c.sizer.sent(part.size, at);
        c.broker.partSent(part.size, at);
        return sent;
      },
      (e) => {
        if (e.details?.urlExpired) signed = undefined;
        slowDown(c)(e);
      },
      signal,
    );
    // A retry re-sends this same buffer: nothing is read from the disk twice.
    c.window.succeeded();
    entry.doneParts.push({ partNumber: part.partNumber, etag, checksum });
    // The part keeps its place in the window until its record is written: a crash re-sends at
    // most the parts in flight (the chaos suite's bound). A failed save is not fatal here (the
    // part is sent again after a crash); the save before completing reports it.
    await c.deps.journals.save(c.journal).catch(() => undefined);
    c.progress(part.size);
  } finally {
    c.pool.release(buffer);
  }
}

/**
 * Completes with the request signed ahead (its body written here). On any failure the API is
 * asked: it answers `completed` when the object already is these parts (an answer lost), else a
 * fresh presigned completion (also after the first one expired).
 */
async function complete(c: SendContext, f: SessionFile, entry: JournalFile): Promise<void> {
  const parts = [...entry.doneParts].sort((a, b) => a.partNumber - b.partNumber);
  const request: CompleteMultipartRequest = {
    session: c.session,
    file: f.name,
    attempt: entry.attempt,
    uploadId: entry.uploadId!,
    ticket: entry.ticket,
    parts,
    presigned: true,
  };
  const ask = async () => c.deps.api.completeMultipart((await c.tokens.get()).token, request);
  let ahead: PresignedRequest | undefined = { ...(await c.broker.completeUrl(f.name)), body: completeMultipartXml(parts) };
  await c.scope.run((signal) =>
    c.retry(
      `complete ${f.name}`,
      async () => {
        let req = ahead;
        ahead = undefined;
        if (!req) {
          const r = await ask();
          // Stored already as these parts (a retry of a completion whose answer was lost).
          if (r.status !== 'pending' || !r.request) return;
          req = r.request;
        }
        try {
          await c.deps.transport.complete(req, signal);
        } catch (e) {
          // The store's answer may be lost, or be "no such upload" / "exists" because an earlier
          // try already stored the object: the API tells whether the object is these parts.
          const again = await ask().catch(() => undefined);
          if (again?.status === 'completed') return;
          throw e;
        }
      },
      undefined,
      signal,
    ),
  );
}
