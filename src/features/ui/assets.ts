/**
 * The few static files the pages load: our stylesheet and script (assets/ui/) and Chart.js's
 * UMD build, served from the installed package (no CDN, no bundler: nothing is fetched at run time).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  type: string;
  body: Buffer;
}

/** URL path -> file, read once at start so a broken install fails before the server listens. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  // This module is src/features/ui/assets.ts or dist/features/ui/assets.js: the package root is three folders up.
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const chartDir = dirname(createRequire(import.meta.url).resolve('chart.js'));
  const files: [string, string, string][] = [
    ['/static/ui.js', join(root, 'assets', 'ui', 'ui.js'), 'text/javascript; charset=utf-8'],
    ['/static/ui.css', join(root, 'assets', 'ui', 'ui.css'), 'text/css; charset=utf-8'],
    ['/static/chart.umd.min.js', join(chartDir, 'chart.umd.min.js'), 'text/javascript; charset=utf-8'],
  ];
  const out = new Map<string, Asset>();
  for (const [path, file, type] of files) out.set(path, { type, body: await readFile(file) });
  return out;
}
