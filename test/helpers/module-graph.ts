/**
 * The modules the CLI can load: the import graph from an entry file over src/ (static imports,
 * literal dynamic imports, and `resolve('pkg')` of a package whose files are served), with the
 * npm packages it reaches. Used to check that the production dependencies are exactly what the
 * CLI loads, and that the packed package holds every module it needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SPECIFIERS =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|resolve\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
export const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Bare specifiers (not relative, not `node:`) that `text` imports. */
export function bareImports(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIERS)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!spec.startsWith('.') && !spec.startsWith('node:')) out.add(spec);
  }
  return [...out];
}

/** Every .ts file reachable from `entry`, and the packages they import (with one importer each). */
export function reachableFrom(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIERS)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target);
      } else if (!spec.startsWith('node:') && !packages.has(packageOf(spec))) packages.set(packageOf(spec), file);
    }
  };
  visit(entry);
  return { files, packages };
}
