// A RECPIPE_HOME whose local profile points at a benchmark's own servers (what `recpipe local
// up` would write in $RECPIPE_HOME/local/stack.json), so the CLI under test talks to them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `home`/local/stack.json for an API at `api` and an S3 endpoint at `s3`. */
export function pointHomeAt(
  home,
  { api, s3, buckets = { raw: 'recpipe-raw', lake: 'recpipe-lake' }, credentials = { accessKeyId: 'x', secretAccessKey: 'y' } },
) {
  mkdirSync(join(home, 'local'), { recursive: true });
  writeFileSync(
    join(home, 'local', 'stack.json'),
    JSON.stringify({ api, s3, region: 'us-east-1', buckets, dataDir: home, credentials, pid: process.pid, startedAt: new Date().toISOString() }),
  );
}
