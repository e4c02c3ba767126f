/**
 * Import boundaries (issues 14, 29): which folder may import what. One local rule,
 * `recpipe/boundaries`, sees every way a module is loaded (`import`, `export ... from`, dynamic
 * `import()`, `import('x').T` types), resolves relative specifiers against the importing file (so
 * a zone is a folder of the tree, not a pattern a path happens to match), and checks the zones of
 * ZONES below in order, reporting the first one an import breaks. `new S3Client(...)` is checked
 * where it is written. test/unit/lint/boundaries.test.ts plants a violation of each zone and
 * expects it to be reported; `npm run lint` runs the rule over src/.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: zones are folders relative to it. */
const ROOT = dirname(fileURLToPath(import.meta.url));
const BUILTINS = new Set(builtinModules);

/** A repo-relative path without its extension (`src/cli/main`), or undefined outside the repository. */
function repoPath(abs) {
  const rel = relative(ROOT, abs).split(sep).join('/');
  return rel.startsWith('..') ? undefined : rel.replace(/\.(ts|js|mjs|cjs|mts|cts)$/, '');
}

/** True when `path` is the folder `dir`, a file in it, or the file `dir`.ts itself. */
const under = (path, dir) => path !== undefined && (path === dir || path.startsWith(`${dir}/`));

/**
 * What an import names: a file of the repository (`{ file: 'src/composition/storage' }`), a
 * built-in module (`{ builtin: 'node:fs' }`, bare `fs` included) or a package (`{ pkg: '@aws-sdk/client-s3' }`).
 */
function targetOf(spec, filename) {
  if (spec.startsWith('.') || spec.startsWith('/')) return { file: repoPath(resolve(dirname(filename), spec)) };
  if (spec.startsWith('node:')) return { builtin: spec };
  if (BUILTINS.has(spec)) return { builtin: `node:${spec}` };
  return { pkg: spec };
}

/** Packages that build SDK clients or open engines: their values are for adapters and the composition root. */
const SDK = /^@(aws-sdk|smithy|duckdb)\//;

/** Built-ins the pure domain may use: computation only (hashes, paths, timers), no I/O. */
const CORE_BUILTINS = ['node:crypto', 'node:path', 'node:util', 'node:buffer', 'node:timers/promises'];
/** Built-ins the domain may name as types only (ports speak of streams). */
const CORE_TYPE_BUILTINS = ['node:stream', 'node:events'];

/**
 * The zones, checked in order. `applies(file)` says whether the importing file is in the zone;
 * `breaks(target, typeOnly)` whether an import of `target` breaks it.
 */
const ZONES = [
  {
    // Features never reach up into the CLI: commands live in src/cli, the rest returns results.
    applies: (f) => !under(f, 'src/cli'),
    breaks: (t) => under(t.file, 'src/cli'),
    message: 'only src/cli imports src/cli: return a result and let the command render it and set the exit code',
  },
  {
    // The composition root builds every service; everything else receives what it needs.
    applies: (f) => !under(f, 'src/cli') && !under(f, 'src/composition'),
    breaks: (t) => under(t.file, 'src/composition'),
    message:
      'only src/cli and src/composition import the composition root: take what you need as a parameter (a port, a store, an engine opener) and let src/composition build it',
  },
  {
    // The backend runs on Lambda: it knows nothing of the embedded stack.
    applies: (f) => under(f, 'src/backend'),
    breaks: (t) => under(t.file, 'src/local'),
    message: 'backend must not import src/local (the embedded stack); take what you need as a dependency from the composition root',
  },
  {
    // S3 clients are built in the composition root only (composition/storage.ts calls createS3Client).
    applies: (f) => !under(f, 'src/composition'),
    breaks: (t, typeOnly) => !typeOnly && t.file === 'src/adapters/s3/client' && t.values,
    message: "build S3 clients in the composition root: use the storage the profile's services give (src/composition/storage.ts builds the one client)",
  },
  {
    // SDK clients and engines are built in adapters and the composition root; elsewhere only their types are named.
    applies: (f) => !under(f, 'src/adapters') && !under(f, 'src/composition'),
    breaks: (t, typeOnly) => !typeOnly && t.pkg !== undefined && SDK.test(t.pkg),
    message:
      "SDK clients and engines are built in src/adapters and src/composition only: import the SDK's types with `import type`, and take the client or the port as a parameter",
  },
  {
    // The domain is pure: an allow-list of its own files and computation-only built-ins.
    applies: (f) => under(f, 'src/core'),
    breaks: (t, typeOnly) => !(under(t.file, 'src/core') || CORE_BUILTINS.includes(t.builtin) || (typeOnly && CORE_TYPE_BUILTINS.includes(t.builtin))),
    message: `src/core is the pure domain: it imports only its own files and the built-ins ${CORE_BUILTINS.join(', ')} (types of ${CORE_TYPE_BUILTINS.join(', ')}); no I/O, SDKs or outer layers (put it in an adapter and pass it in through a port)`,
  },
];

/** Imported names of the S3 client module that build a client (a namespace or default import may). */
const buildsClient = (node) =>
  node.specifiers.length === 0 ||
  node.specifiers.some((s) => s.type !== 'ImportSpecifier' || (s.importKind !== 'type' && s.imported.name === 'createS3Client'));

/** A static import or re-export that TypeScript erases: `import type`, or only `type` specifiers. */
const erased = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

/** The literal module name of an `import()`, or undefined when it is computed. */
function literalSource(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

const boundariesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'import boundaries between src/ folders (eslint.boundaries.js)' },
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename);
    if (file === undefined) return {};
    const zones = ZONES.filter((z) => z.applies(file));
    const check = (node, spec, typeOnly, values = true) => {
      const target = { ...targetOf(spec, context.filename), values };
      const zone = zones.find((z) => z.breaks(target, typeOnly));
      if (zone) context.report({ node, message: zone.message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value, erased(node), buildsClient(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, erased(node), true),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type', true),
      TSImportType: (node) => check(node, node.source?.value ?? node.argument?.literal?.value, true, false),
      ImportExpression: (node) => {
        const spec = literalSource(node.source);
        if (spec === undefined)
          context.report({
            node,
            message: 'import() of a computed module name cannot be checked against the import boundaries: name the module with a string',
          });
        else check(node, spec, false, true);
      },
      NewExpression: (node) => {
        const callee = node.callee.type === 'MemberExpression' ? node.callee.property : node.callee;
        if (callee.type === 'Identifier' && callee.name === 'S3Client' && file !== 'src/adapters/s3/client')
          context.report({ node, message: ZONES[3].message });
      },
    };
  },
};

/** The local plugin: `recpipe/boundaries`. */
export const recpipePlugin = { meta: { name: 'recpipe' }, rules: { boundaries: boundariesRule } };

/** The flat-config entry: every source file, its zones decided by where it is. */
export const boundaries = [{ files: ['src/**/*.ts'], plugins: { recpipe: recpipePlugin }, rules: { 'recpipe/boundaries': 'error' } }];
