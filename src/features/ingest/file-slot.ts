/**
 * Multipart files take turns for a few slots (upload-session.ts), so that one file's last parts
 * overlap the next file's first ones without every file of a session starting at once.
 */
import type { JournalFile } from '../../core/ingest/journal-types.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import type { SendContext } from './send-file.js';
import { sendMultipart } from './send-multipart.js';
import type { Window } from './window.js';

/**
 * Sends a multipart file in one of the `files` slots, cut at the part size the planner gave it
 * (part-planner.ts). The slot is given back once every part of the file has started, not when
 * the last answers: a part retried after a SlowDown or a reset must not hold the next file back
 * (measured: with 5 % SlowDown and 2 % resets, a straggler held one of the two file slots while
 * the window emptied).
 */
export async function sendInSlot(ctx: SendContext, f: SessionFile, entry: JournalFile, files: Window): Promise<void> {
  await files.acquire();
  // Once: a second call would free another file's slot.
  let released = false;
  const allStarted = () => {
    if (released) return;
    released = true;
    files.release();
  };
  try {
    await sendMultipart(ctx, f, entry, allStarted);
  } finally {
    allStarted();
  }
}
