/** `recpipe configure --from-stack OUTPUTS.json`: fill the aws profile from `cdk deploy --outputs-file`. */
import { readFile } from 'node:fs/promises';
import { RecpipeError } from '../core/errors.js';
import { writeFileAtomicSync } from '../adapters/fs/atomic-write.js';
import { configPath, readConfigFile } from './load.js';

const MAP: Record<string, string> = {
  ApiUrl: 'apiUrl',
  Region: 'region',
  RawBucket: 'rawBucket',
  LakeBucket: 'lakeBucket',
  KeysTable: 'keysTable',
  GlueDatabase: 'glueDatabase',
  AthenaWorkgroup: 'athenaWorkgroup',
};

export async function configureFromStack(home: string, outputsPath: string, makeDefault: boolean): Promise<{ file: string; values: Record<string, string> }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(outputsPath, 'utf8'));
  } catch (e) {
    throw new RecpipeError('config', `cannot read stack outputs ${outputsPath}: ${(e as Error).message}`, {
      hint: 'pass the file written by `cdk deploy --outputs-file outputs.json`',
    });
  }
  const stacks = Object.values((parsed ?? {}) as Record<string, Record<string, string>>).filter((v) => v && typeof v === 'object' && 'ApiUrl' in v);
  if (stacks.length !== 1)
    throw new RecpipeError('config', `${outputsPath} holds ${stacks.length} recpipe stacks (outputs with ApiUrl)`, {
      hint: 'deploy one recpipe stack and pass its outputs file',
    });
  const values: Record<string, string> = {};
  for (const [out, key] of Object.entries(MAP)) {
    const v = stacks[0][out];
    if (!v) throw new RecpipeError('config', `${outputsPath} has no output "${out}"`, { hint: 'redeploy with the current stack and write its outputs again' });
    values[key] = v;
  }
  const file = configPath(home);
  const current = readConfigFile(file);
  const next = {
    ...current,
    ...(makeDefault ? { profile: 'aws' } : {}),
    profiles: { ...(current.profiles ?? {}), aws: { ...(current.profiles?.aws ?? {}), ...values } },
  };
  writeFileAtomicSync(file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  return { file, values };
}
