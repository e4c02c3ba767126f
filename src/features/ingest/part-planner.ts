/**
 * Gives each multipart file of an upload its part size, in the order the files are sent, and
 * hands it to the URL broker, which signs its URLs ahead (url-broker.ts). Files planned before
 * the part size is chosen from the first PUTs (part-sizer.ts) get the configured size: as many
 * as there are file slots (two files send parts at a time, so both go into the first batch), and
 * more only when the URLs would otherwise run out. Once the size is chosen every file left is
 * planned at once, so one batch can sign them all.
 */
import type { JournalFile } from '../../core/ingest/journal-types.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import type { PartSizer } from './part-sizer.js';
import type { UrlBroker } from './url-broker.js';

export interface PlanOptions {
  sizer: PartSizer;
  broker: UrlBroker;
  /** Files planned before the choice without waiting for it (the file slots). */
  early: number;
}

export async function planMultipartFiles(files: { f: SessionFile; entry: JournalFile }[], o: PlanOptions): Promise<void> {
  let early = 0;
  for (const { f, entry } of files) {
    // A file under way keeps the size its upload was started with (its ticket records it).
    if (!entry.ticket) {
      if (o.sizer.choice === undefined && early >= o.early) await Promise.race([o.sizer.chosen(), o.broker.runningLow()]);
      const chosen = o.sizer.choice;
      if (chosen === undefined) early++;
      entry.partSize = chosen ?? o.sizer.small;
    }
    o.broker.planMultipart(f, entry);
  }
}
