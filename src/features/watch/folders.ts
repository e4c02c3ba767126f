/** What the daemon sees of the rig folder: the session folders under it and their files. */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_NAME } from '../../core/session/name.js';
import type { Snapshot } from '../../core/watch/readiness.js';

/** The rig folder as the daemon polls it (a port, so a month of polling can run in memory). */
export interface FolderView {
  /** Names of the session folders under the root, sorted. */
  sessionFolders(): Promise<string[]>;
  /** Names, sizes and mtimes of the files in one session folder. */
  snapshot(name: string): Promise<Snapshot>;
}

/** The real rig folder. */
export class DiskFolderView implements FolderView {
  constructor(private readonly root: string) {}

  async sessionFolders(): Promise<string[]> {
    return (await readdir(this.root, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && SESSION_NAME.test(d.name))
      .map((d) => d.name)
      .sort();
  }

  async snapshot(name: string): Promise<Snapshot> {
    const folder = join(this.root, name);
    const files = [];
    for (const e of await readdir(folder, { withFileTypes: true })) {
      const s = await lstat(join(folder, e.name)).catch(() => undefined);
      if (s) files.push({ name: e.name, size: s.size, mtimeMs: s.mtimeMs });
    }
    return { files };
  }
}
