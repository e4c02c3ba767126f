/**
 * HTML built so that escaping cannot be forgotten: the `html` tag escapes every interpolated value
 * unless it is itself the output of `html` (a `Safe`). Pages never concatenate strings into markup.
 */

import { textOf } from '../../core/text.js';

/** Markup that is already safe: only `html` and `json` make these. */
export class Safe {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return textOf(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

type Part = Safe | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v instanceof Safe) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** Template tag: `html\`<td>${value}</td>\`` escapes `value`; arrays of `Safe` are joined. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Safe {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Safe(out);
}

/**
 * Data for the page script, inside `<script type="application/json">`: JSON with `<`, `>`, `&`
 * and the line separators escaped, so no value can close the element or start markup.
 */
export function json(id: string, value: unknown): Safe {
  const text = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return html`<script type="application/json" id="${id}">
    ${new Safe(text)}
  </script>`;
}

/**
 * A page's path as a link: relative (`sessions`, not `/sessions`). Every page and static file
 * lives directly under the server's secret base path (server.ts), to which its cookie is scoped,
 * so links resolve inside it whatever that path is.
 */
export const relative = (path: string) => path.replace(/^\/+/, '') || '.';

/** A link to a page with a query string from parts, every value URL-encoded (then HTML-escaped by `html`). */
export function href(path: string, params: Record<string, string | undefined>): string {
  const q = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  const to = relative(path);
  return q.length ? `${to}?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`).join('&')}` : to;
}

const NAV: [string, string][] = [
  ['/sessions', 'Sessions'],
  ['/rigs', 'Rigs'],
  ['/charts', 'Charts'],
  ['/snapshots', 'Snapshots'],
];

/** The shared page frame: title, navigation, the one stylesheet and script (no inline code: CSP). */
export function page(title: string, active: string, body: Safe, scripts: string[] = []): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · recpipe</title>
        <link rel="stylesheet" href="static/ui.css" />
      </head>
      <body>
        <header>
          <strong>recpipe</strong>
          <nav>${NAV.map(([p, t]) => html`<a href="${relative(p)}" ${new Safe(p === active ? ' class="active"' : '')}>${t}</a>`)}</nav>
          <span class="ro">read-only</span>
        </header>
        <main>${body}</main>
        ${scripts.map((s) => html`<script src="${relative(s)}"></script>`)}
        <script src="static/ui.js"></script>
      </body>
    </html> `.text;
}

/** Bytes for people: 1.5 MB, 512 KB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}
