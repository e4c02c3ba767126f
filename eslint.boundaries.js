/**
 * Import boundaries (issue 14): which folder may import which. One `no-restricted-imports`
 * entry per zone; the zones do not overlap, because a later flat-config entry for the same rule
 * replaces an earlier one's options instead of adding to them. test/unit/lint/boundaries.test.ts
 * lints sample imports against these entries and expects each violation to be reported.
 */

/** Features never reach up into the CLI: commands live in src/cli, the rest returns results. */
const NO_CLI = { group: ['**/cli', '**/cli/**'], message: 'only src/cli imports src/cli: return a result and let the command render it and set the exit code' };
/** S3 clients are built in the composition root only (composition/storage.ts). */
const NO_S3_CLIENT = {
  group: ['**/adapters/s3/client.js'],
  importNames: ['createS3Client'],
  message: 'build S3 clients in the composition root: use openStorage/openS3Client from src/composition/storage.ts',
};
/** The backend runs on Lambda: it knows nothing of the embedded stack. */
const NO_LOCAL = {
  group: ['**/local', '**/local/**'],
  message: 'backend must not import src/local (the embedded stack); take what you need as a dependency from the composition root',
};
const NO_COMPOSITION = {
  group: ['**/composition', '**/composition.js', '**/composition/**'],
  message: 'receive dependencies instead of reaching into the composition root',
};
/** The domain is pure: no I/O, no SDKs, no outer layer. */
const CORE_ONLY = {
  group: [
    '**/adapters/**',
    '**/backend/**',
    '**/local/**',
    '**/config/**',
    '**/infra/**',
    '**/ingest/**',
    '**/pull/**',
    '**/process/**',
    '**/query/**',
    '**/watch/**',
    '**/audit/**',
    'node:fs',
    'node:fs/*',
    '@aws-sdk/*',
    '@duckdb/*',
    'winston',
    'ora',
    'chokidar',
    'commander',
  ],
  message: 'src/core is the pure domain: no I/O, SDKs or outer layers (put it in an adapter and pass it in through a port)',
};

const rule = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/** Flat-config entries, most specific zones listed with `ignores` so that each file gets exactly one. */
export const boundaries = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/core/**', 'src/backend/**', 'src/composition/**', 'src/composition.ts', 'src/adapters/s3/client.ts'],
    rules: rule(NO_CLI, NO_S3_CLIENT),
  },
  { files: ['src/cli/**/*.ts'], rules: rule(NO_S3_CLIENT) },
  { files: ['src/composition/**/*.ts', 'src/composition.ts'], rules: rule(NO_CLI) },
  { files: ['src/core/**/*.ts'], rules: rule(NO_CLI, NO_COMPOSITION, CORE_ONLY) },
  { files: ['src/backend/**/*.ts'], ignores: ['src/backend/lambda/**'], rules: rule(NO_CLI, NO_LOCAL, NO_COMPOSITION, NO_S3_CLIENT) },
  // The Lambda entry points are edges: they take their services from the composition root.
  { files: ['src/backend/lambda/**/*.ts'], rules: rule(NO_CLI, NO_LOCAL, NO_S3_CLIENT) },
];
