/**
 * ESLint 9 flat config: the recommended JavaScript rules, typescript-eslint's type-aware
 * recommended set (recommendedTypeChecked) on the TypeScript sources, and the import
 * boundaries of eslint.boundaries.js. Plain JavaScript (bin, scripts, configs) gets the
 * untyped rules only. Formatting is Prettier's job (`npm run format`), not ESLint's.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'cdk.out/', 'coverage/'] },
  js.configs.recommended,
  { languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Off: port implementations are `async` without awaiting on purpose (the memory adapters
      // mirror the S3 ones), so a synchronous throw still reaches the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
      // An abort reason is rejected as it came (AbortSignal.reason is `any`), as node:timers/promises does.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
    },
  },
  {
    // Tests parse the CLI's JSON output and assert on its shape; typing every parsed document
    // would only restate the assertions. The unsafe-any family stays on for src/.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
  { rules: { 'no-console': 'error' } },
  { files: ['scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
  { files: ['test/**'], languageOptions: { globals: { ...globals.jest } } },
  ...boundaries,
);
