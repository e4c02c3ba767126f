/**
 * Multipart files take turns for a few slots (upload-session.ts), so that one file's last parts
 * overlap the next file's first ones without every file of a session starting at once.
 */
import type { JournalFile } from '../core/ingest/journal-types.js';
import type { SessionFile } from '../core/session/validation-types.js';
import { sendMultipart, type SendContext } from './send-file.js';
import type { Window } from './window.js';

/**
 * Sends a multipart file in one of the `files` slots. A file not yet begun takes the part size
 * the sizer (ctx.sizer) gives it (recorded in the journal with its upload id); one under way keeps its own.
 * The slot is given back once every part of the file has started, not when the last answers:
 * a part retried after a SlowDown or a reset must not hold the next file back (measured: with
 * 5 % SlowDown and 2 % resets, a straggler held one of the two file slots while the window
 * emptied).
 */
export async function sendInSlot(ctx: SendContext, f: SessionFile, entry: JournalFile, files: Window): Promise<void> {
  const sizer = ctx.sizer;
  await files.acquire();
  let probe = false;
  // Once: a second call would free another file's slot or end the probe of the file after it.
  let started = false;
  const allStarted = () => {
    if (started) return;
    started = true;
    files.release();
    if (probe) sizer.probeDone();
  };
  try {
    if (!entry.uploadId) {
      const choice = await sizer.forNewFile();
      probe = choice.probe;
      entry.partSize = choice.size;
      ctx.log.log('debug', 'upload.part_size', { file: f.name, partSize: choice.size, probe });
    }
    await sendMultipart(ctx, f, entry, allStarted);
  } finally {
    allStarted();
  }
}
