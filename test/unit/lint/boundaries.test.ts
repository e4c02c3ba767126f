import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The import-boundary rule of eslint.boundaries.js fires on each kind of violation planted in a
 * file of the zone it guards, and stays quiet on the allowed imports next to it. `npm run lint`
 * runs the same rule over the tree; the last test does too, without type information, so a
 * reach-in shows here as a failing test.
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The boundaries alone; inline `eslint-disable` comments are ignored, so none can hide a violation. */
async function linter(): Promise<{ lint: (filename: string, code: string) => string[] }> {
  const { boundaries } = (await import(pathToFileURL(join(repo, 'eslint.boundaries.js')).href)) as { boundaries: Linter.Config[] };
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    },
    ...boundaries,
  ];
  const l = new Linter({ configType: 'flat', cwd: repo });
  return { lint: (filename, code) => l.verify(code, config, { filename: join(repo, filename) }).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`) };
}

async function lintAs(filename: string, code: string): Promise<string[]> {
  return (await linter()).lint(filename, code);
}

const CLI = /only src\/cli imports src\/cli/;
const ROOT = /only src\/cli and src\/composition import the composition root/;
const S3 = /build S3 clients in the composition root/;
const SDK = /SDK clients and engines are built in src\/adapters and src\/composition only/;
const CORE = /src\/core is the pure domain/;

describe('import boundaries', () => {
  it.each([
    ['a feature imports the CLI', 'src/features/watch/x.ts', "import type { Runtime } from '../../cli/context.js';", CLI],
    ['a feature imports a CLI renderer', 'src/features/query/x.ts', "import { renderTable } from '../../cli/render/table.js';", CLI],
    ['the composition root imports the CLI', 'src/composition/x.ts', "import { main } from '../cli/main.js';", CLI],
    [
      'backend imports the embedded stack',
      'src/backend/keys/x.ts',
      "import { localDir } from '../../local/stack-info.js';",
      /backend must not import src\/local/,
    ],
    ['backend reaches into the composition root', 'src/backend/handlers/x.ts', "import { openStorage } from '../../composition/storage.js';", ROOT],
    [
      'a Lambda event adapter reaches into the composition root',
      'src/backend/lambda/x.ts',
      "import { apiRouterFromEnv } from '../../composition/lambda-api.js';",
      ROOT,
    ],
    ['a feature imports the composition root statically', 'src/features/process/x.ts', "import { withStorage } from '../../composition/storage.js';", ROOT],
    ['a feature imports composition.ts', 'src/features/ui/x.ts', "import { resolveEndpoints } from '../../composition/endpoints.js';", ROOT],
    ['a feature names a composition type', 'src/features/snapshot/x.ts', "import type { Services } from '../../composition/services.js';", ROOT],
    ['a feature imports the composition root dynamically', 'src/features/pull/x.ts', "export const load = () => import('../../composition/storage.js');", ROOT],
    [
      'a feature imports it dynamically with a template string',
      'src/features/pull/x.ts',
      'export const load = () => import(`../../composition/storage.js`);',
      ROOT,
    ],
    ['a feature re-exports from the composition root', 'src/features/query/x.ts', "export { openStorage } from '../../composition/storage.js';", ROOT],
    [
      'a feature names a composition type in a type position',
      'src/features/query/x.ts',
      "export type S = import('../../composition/services.js').Services;",
      ROOT,
    ],
    ['the embedded stack reaches into the composition root', 'src/local/x.ts', "import { openStorage } from '../composition/storage.js';", ROOT],
    ['infra reaches into the composition root', 'src/infra/x.ts', "import { lambdaConfig } from '../composition/lambda-config.js';", ROOT],
    [
      'a feature imports a module it names at run time',
      'src/features/query/x.ts',
      "const m = '../../composition/storage.js';\nexport const load = () => import(m);",
      /computed module name cannot be checked/,
    ],
    ['a feature builds its own S3 client', 'src/features/pull/x.ts', "import { createS3Client } from '../../adapters/s3/client.js';", S3],
    ['a command builds its own S3 client', 'src/cli/commands/x.ts', "import { createS3Client } from '../../adapters/s3/client.js';", S3],
    ['a feature loads the S3 client builder dynamically', 'src/features/pull/x.ts', "export const load = () => import('../../adapters/s3/client.js');", S3],
    [
      'an adapter builds its own S3 client',
      'src/adapters/athena/x.ts',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = new S3Client({});",
      S3,
    ],
    ['a feature imports an SDK client', 'src/features/query/x.ts', "import { AthenaClient } from '@aws-sdk/client-athena';", SDK],
    ['a command imports an SDK client', 'src/cli/commands/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", SDK],
    ['a feature loads DuckDB dynamically', 'src/features/query/x.ts', "export const load = () => import('@duckdb/node-api');", SDK],
    ['a feature imports an SDK helper', 'src/features/pull/x.ts', "import { getSignedUrl } from '@aws-sdk/s3-request-presigner';", SDK],
    ['the core does I/O', 'src/core/x.ts', "import { readFile } from 'node:fs/promises';", CORE],
    ['the core does I/O through bare fs', 'src/core/session/x.ts', "import { readFileSync } from 'fs';", CORE],
    ['the core loads fs dynamically', 'src/core/x.ts', "export const load = () => import('node:fs');", CORE],
    ['the core speaks HTTP', 'src/core/x.ts', "import { request } from 'node:http';", CORE],
    ['the core speaks HTTPS through bare https', 'src/core/x.ts', "import { request } from 'https';", CORE],
    ['the core opens sockets', 'src/core/x.ts', "import { connect } from 'node:net';", CORE],
    ['the core runs processes', 'src/core/x.ts', "import { spawn } from 'child_process';", CORE],
    ['the core starts workers', 'src/core/x.ts', "import { Worker } from 'node:worker_threads';", CORE],
    ['the core imports an adapter', 'src/core/session/x.ts', "import { S3ObjectStore } from '../../adapters/s3/object-store.js';", CORE],
    ['the core imports the config loader', 'src/core/x.ts', "import { loadConfig } from '../config/load.js';", CORE],
    ['the core imports a feature', 'src/core/audit/x.ts', "import { gather } from '../../audit/gather.js';", CORE],
    ['the core names an SDK type', 'src/core/x.ts', "import type { S3Client } from '@aws-sdk/client-s3';", CORE],
    ['the core logs through winston', 'src/core/x.ts', "import winston from 'winston';", CORE],
    ['the core parses argv', 'src/core/x.ts', "import { Command } from 'commander';", CORE],
  ])('reports %s', async (_what, file, code, message) => {
    // Act
    const problems = await lintAs(file, code);
    // Assess
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(problems[0]).toMatch(/^recpipe\/boundaries: /);
  });

  it('reports a feature that imports the SDK and builds an S3 client, once for each', async () => {
    // Act
    const problems = await lintAs('src/features/pull/x.ts', "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = new S3Client({});");
    // Assess
    expect(problems).toEqual([expect.stringMatching(SDK), expect.stringMatching(S3)]);
  });

  it.each([
    ['a command imports the CLI runtime', 'src/cli/commands/x.ts', "import type { Runtime } from '../context.js';"],
    ['a command takes its services from the composition root', 'src/cli/context.ts', "import { openServices } from '../composition/services.js';"],
    ['a command loads a composition module lazily', 'src/cli/commands/x.ts', "export const load = () => import('../../composition/local-stack.js');"],
    ['the composition root builds the S3 client', 'src/composition/x.ts', "import { createS3Client } from '../adapters/s3/client.js';"],
    ['the composition root imports an SDK client', 'src/composition/x.ts', "export const load = () => import('@aws-sdk/client-dynamodb');"],
    [
      'a Lambda entry point in the composition root hands events to the backend',
      'src/composition/lambda-x.ts',
      "import { handleApiEvent } from '../backend/lambda/api.js';\nimport { openStorage } from './storage.js';",
    ],
    [
      'the S3 client adapter builds the client',
      'src/adapters/s3/client.ts',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = new S3Client({});",
    ],
    ['an adapter imports an SDK client', 'src/adapters/athena/x.ts', "import { AthenaClient } from '@aws-sdk/client-athena';"],
    ['a feature imports S3 settings as a type', 'src/features/pull/x.ts', "import type { S3Settings } from '../../adapters/s3/client.js';"],
    ['a feature names an SDK type', 'src/local/x.ts', "import type { S3Client } from '@aws-sdk/client-s3';"],
    ['a feature names an SDK type inline', 'src/features/pull/x.ts', "import { type S3Client } from '@aws-sdk/client-s3';"],
    ['a feature takes an engine opener', 'src/features/snapshot/x.ts', "import type { OpenEngine } from '../query/open-engine.js';"],
    [
      'the core imports its own files and pure built-ins',
      'src/core/session/x.ts',
      "import { createHash } from 'node:crypto';\nimport { join } from 'path';\nimport type { Readable } from 'node:stream';\nimport { RecpipeError } from '../errors.js';",
    ],
  ])('allows %s', async (_what, file, code) => {
    expect(await lintAs(file, code)).toEqual([]);
  });

  it('finds no violation in the tree as it is (no file outside src/cli and src/composition imports the composition root)', async () => {
    // Prepare
    const { lint } = await linter();
    const files = (readdirSync(join(repo, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(repo, 'src', f));
    // Act
    const problems = files.flatMap((f) =>
      lint(relative(repo, f), readFileSync(f, 'utf8'))
        // The rule's reports, and any file it could not read; not the notes on ignored inline comments.
        .filter((p) => p.startsWith('recpipe/boundaries: ') || p.includes('Parsing error'))
        .map((p) => `${relative(repo, f)}: ${p}`),
    );
    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
