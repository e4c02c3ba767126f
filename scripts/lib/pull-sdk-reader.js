// Benchmark-only variant of `recpipe pull --input FILE --dest DIR`: the same pull (ranges,
// hashing, writes) with every byte read through the AWS SDK's body stream instead of the raw GET
// reader, to show what the raw reader is worth. Reads the endpoint from $RECPIPE_HOME/local/stack.json.
//
//   node scripts/lib/pull-sdk-reader.js --input FILE --dest DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pullFiles } from '../../dist/features/pull/pull-files.js';
import { parseQueryJson } from '../../dist/features/pull/plan.js';
import { LakeSource } from '../../dist/features/pull/lake-source.js';
import { silentReporter } from '../../dist/cli/render/reporter.js';
import { nullLogger } from '../../dist/adapters/log/file-logger.js';

const arg = (n) => process.argv[process.argv.indexOf(`--${n}`) + 1];
const info = JSON.parse(readFileSync(join(process.env.RECPIPE_HOME, 'local', 'stack.json'), 'utf8'));
const source = new LakeSource({ region: info.region, endpoint: info.s3, credentials: info.credentials }, info.buckets.lake);
// No presignGet: fetch-body.ts then reads every file and range through the SDK.
const lake = { getStream: (key, range) => source.getStream(key, range) };
try {
  await pullFiles(
    parseQueryJson(readFileSync(arg('input'), 'utf8')),
    arg('dest'),
    { lake, reporter: silentReporter, logger: nullLogger },
    { concurrency: 4, dryRun: false },
  );
} finally {
  await source.close();
}
