/**
 * Every production dependency earns its place (issue 24): the packages the CLI can load, from
 * src/cli/main.ts through every static and literal dynamic import, are exactly `dependencies`.
 * A test or build tool imported by runtime code would be missing from a rig's install; a
 * dependency nothing loads only makes the install bigger (it belongs in devDependencies, like
 * the Secrets Manager client only the Lambda bundle uses).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { reachableFrom } from '../../helpers/module-graph.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { dependencies: Record<string, string> };

describe('production dependencies', () => {
  const { packages } = reachableFrom(`${repo}src/cli/main.ts`);
  const loaded = [...packages.keys()].filter((p) => !builtinModules.includes(p)).sort();

  it('include every package the CLI can load', () => {
    const missing = loaded.filter((p) => !(p in pkg.dependencies));
    expect(missing.map((p) => `${p} (imported by ${packages.get(p)!.slice(repo.length)})`)).toEqual([]);
  });

  it('include nothing the CLI never loads', () => {
    expect(Object.keys(pkg.dependencies).filter((p) => !loaded.includes(p))).toEqual([]);
  });
});
