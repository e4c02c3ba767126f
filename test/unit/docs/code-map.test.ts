/**
 * docs/architecture.md's code map is one page that matches the tree: every folder under src/ is
 * named there, and every src/ folder it names exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = process.cwd();

function foldersUnder(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [`${dir}/${e.name}/`, ...foldersUnder(`${dir}/${e.name}`)]);
}

function mapFolders(): Set<string> {
  const doc = readFileSync(join(repo, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Code layout'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  // Each line of the map that starts (after indentation) with a folder names it.
  return new Set(
    block
      .split('\n')
      .map((line) => /^\s*(src\/\S*\/)\s/.exec(line + ' ')?.[1])
      .filter((f): f is string => f !== undefined),
  );
}

describe('the code map in docs/architecture.md', () => {
  const named = mapFolders();

  it('names every folder under src/', () => {
    expect(named.size).toBeGreaterThan(10);
    expect(foldersUnder('src').filter((f) => !named.has(f))).toEqual([]);
  });

  it('names no folder that is gone', () => {
    const real = new Set(['src/', ...foldersUnder('src')]);
    expect([...named].filter((f) => !real.has(f))).toEqual([]);
  });
});
