/**
 * A local mirror of the lake's catalog/ prefix, synced by ETag (only new or changed objects are
 * downloaded; objects gone from the lake are dropped from the mirror, never from the lake), and
 * compacted into one NDJSON file per table so a query opens three files, not thousands.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ObjectStore } from '../../core/ports.js';
import { LEDGER_ENTRY } from '../../core/catalog/records.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import { mapOf, obj, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

export const TABLES = { sessions: 'catalog/sessions/', processed_files: 'catalog/files/', ledger: 'catalog/ledger/', snapshots: 'catalog/snapshots/' } as const;
export type TableName = keyof typeof TABLES;

interface MirrorIndex {
  objects: Record<string, string>;
}

/** The mirror's `index.json` (object key -> ETag it was downloaded at). */
export const MIRROR_INDEX = storedRecord<MirrorIndex>({
  what: 'catalog mirror index',
  hint: 'nothing to do: the catalog is downloaded again (the mirror is a cache under $RECPIPE_HOME/cache)',
  shape: obj({ objects: mapOf(str) }),
});

export interface SyncResult {
  changed: boolean;
  downloaded: number;
  removed: number;
  /** Digest of the mirrored state: equal digests mean equal catalogs. */
  digest: string;
}

export class CatalogMirror {
  constructor(
    private readonly lake: ObjectStore,
    readonly dir: string,
    /**
     * Told about a damaged record: the mirror's index (the catalog is then downloaded again) or a
     * ledger entry (left out of the ledger table; `status` and `verify` report it as damaged_record).
     */
    private readonly damaged?: (e: RecpipeError) => void,
  ) {}

  compactPath(table: TableName): string {
    return join(this.dir, `${table}.ndjson`);
  }

  async sync(): Promise<SyncResult> {
    await mkdir(join(this.dir, 'objects'), { recursive: true });
    const indexPath = join(this.dir, 'index.json');
    const index = await this.readIndex(indexPath);
    const remote = new Map<string, string>();
    for (const prefix of Object.values(TABLES))
      for (const o of await this.lake.list(prefix)) if (o.key.endsWith('.json')) remote.set(o.key, o.etag ?? String(o.size));
    let downloaded = 0;
    let removed = 0;
    const queue = [...remote].filter(([k, e]) => index.objects[k] !== e);
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [key, etag] = item;
        await writeFile(this.localPath(key), await this.lake.get(key));
        index.objects[key] = etag;
        downloaded++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    for (const key of Object.keys(index.objects)) {
      if (!remote.has(key)) {
        delete index.objects[key];
        await rm(this.localPath(key), { force: true });
        removed++;
      }
    }
    const digest = createHash('sha256')
      .update(JSON.stringify(Object.entries(index.objects).sort()))
      .digest('hex');
    const changed = downloaded + removed > 0 || !(await exists(this.compactPath('sessions')));
    if (changed) {
      for (const [table, prefix] of Object.entries(TABLES) as [TableName, string][]) {
        const keys = Object.keys(index.objects)
          .filter((k) => k.startsWith(prefix))
          .sort();
        const parts: string[] = [];
        for (const k of keys) {
          const text = (await readFile(this.localPath(k), 'utf8')).trim();
          if (!text) continue;
          if (table !== 'ledger') parts.push(text);
          else {
            // A ledger entry is one pretty-printed object: one line of the table once checked.
            const entry = this.checked(() => LEDGER_ENTRY.parse(text, k));
            if (entry) parts.push(JSON.stringify(entry));
          }
        }
        await writeAtomic(this.compactPath(table), parts.join('\n') + (parts.length ? '\n' : ''));
      }
      await writeAtomic(indexPath, JSON.stringify(index));
    }
    return { changed, downloaded, removed, digest };
  }

  /** The index, or an empty one (first sync, or a damaged index: everything is downloaded again). */
  private async readIndex(path: string): Promise<MirrorIndex> {
    let text: Buffer;
    try {
      text = await readFile(path);
    } catch {
      return { objects: {} };
    }
    return this.checked(() => MIRROR_INDEX.parse(text, path)) ?? { objects: {} };
  }

  /** `read()`, or undefined when it refused a damaged record (handed to `damaged`). */
  private checked<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (!isRecpipeError(e)) throw e;
      this.damaged?.(e);
      return undefined;
    }
  }

  private localPath(key: string): string {
    return join(this.dir, 'objects', createHash('sha1').update(key).digest('hex') + '.json');
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text);
}
