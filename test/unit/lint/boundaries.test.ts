import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The import-boundary rule of eslint.boundaries.js fires on each kind of violation, and stays
 * quiet on the allowed imports next to it. `npm run lint` runs the same entries over the tree.
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));

async function lintAs(filename: string, code: string): Promise<string[]> {
  const { boundaries } = (await import(pathToFileURL(join(repo, 'eslint.boundaries.js')).href)) as { boundaries: Linter.Config[] };
  const config: Linter.Config[] = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries];
  return new Linter({ configType: 'flat', cwd: repo })
    .verify(code, config, { filename: join(repo, filename) })
    .map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('import boundaries', () => {
  it.each([
    ['a feature imports the CLI', 'src/watch/x.ts', "import type { Runtime } from '../cli/context.js';", /only src\/cli imports src\/cli/],
    ['a feature imports a CLI renderer', 'src/query/x.ts', "import { renderTable } from '../cli/render/table.js';", /only src\/cli imports src\/cli/],
    [
      'backend imports the embedded stack',
      'src/backend/keys/x.ts',
      "import { localDir } from '../../local/stack-info.js';",
      /backend must not import src\/local/,
    ],
    [
      'backend reaches into the composition root',
      'src/backend/handlers/x.ts',
      "import { openStorage } from '../../composition/storage.js';",
      /composition root/,
    ],
    [
      'a feature builds its own S3 client',
      'src/pull/x.ts',
      "import { createS3Client } from '../adapters/s3/client.js';",
      /build S3 clients in the composition root/,
    ],
    [
      'a command builds its own S3 client',
      'src/cli/commands/x.ts',
      "import { createS3Client } from '../../adapters/s3/client.js';",
      /build S3 clients in the composition root/,
    ],
    ['the core does I/O', 'src/core/x.ts', "import { readFile } from 'node:fs/promises';", /pure domain/],
    ['the core imports an adapter', 'src/core/session/x.ts', "import { S3ObjectStore } from '../../adapters/s3/object-store.js';", /pure domain/],
  ])('reports %s', async (_what, file, code, message) => {
    // Act
    const problems = await lintAs(file, code);
    // Assess
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(problems[0]).toMatch(/^no-restricted-imports/);
  });

  it.each([
    ['a command imports the CLI runtime', 'src/cli/commands/x.ts', "import type { Runtime } from '../context.js';"],
    ['the composition root builds the S3 client', 'src/composition/x.ts', "import { createS3Client } from '../adapters/s3/client.js';"],
    [
      'a Lambda entry point takes its services from the composition root',
      'src/backend/lambda/x.ts',
      "import { apiRouterFromEnv } from '../../composition/lambda-api.js';",
    ],
    ['a feature imports S3 settings as a type', 'src/pull/x.ts', "import type { S3Settings } from '../adapters/s3/client.js';"],
    ['a feature imports the composition root', 'src/process/x.ts', "import { withStorage } from '../composition/storage.js';"],
  ])('allows %s', async (_what, file, code) => {
    expect(await lintAs(file, code)).toEqual([]);
  });
});
