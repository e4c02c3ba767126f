import { escapeHtml, html, json } from '../../../src/features/ui/html.js';
import { pullCommand, shellQuote, splitTerms } from '../../../src/features/ui/source.js';
import { checkBind, isLoopback } from '../../../src/features/ui/start-ui.js';

const HOSTILE = `<script>alert(1)</script>"'\`&`;

describe('ui markup', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const out = html`<td title="${HOSTILE}">${HOSTILE}</td>`.text;
    expect(out).not.toContain('<script>');
    expect(out).toBe(`<td title="${escapeHtml(HOSTILE)}">${escapeHtml(HOSTILE)}</td>`);
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#96;&amp;');
  });

  it('does not escape twice what html already made, and escapes arrays item by item', () => {
    const cells = ['<a>', 'b'].map((v) => html`<i>${v}</i>`);
    expect(html`<p>${cells}</p>`.text).toBe('<p><i>&lt;a&gt;</i><i>b</i></p>');
  });

  it('embeds data as JSON that cannot close its script element', () => {
    const out = json('d', { v: '</script><script>alert(1)</script>', w: '\u2028' }).text;
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    const body = out.slice(out.indexOf('>') + 1, out.lastIndexOf('</script>'));
    expect(JSON.parse(body)).toEqual({ v: '</script><script>alert(1)</script>', w: '\u2028' });
  });
});

describe('filter box and pull command', () => {
  it('splits the box like a shell would split the query command line', () => {
    expect(splitTerms(`  fatigue>=3   hardware_model=NX-200 notes~'slight drift' `)).toEqual(['fatigue>=3', 'hardware_model=NX-200', "notes~'slight drift'"]);
    expect(splitTerms('')).toEqual([]);
  });

  it('quotes terms a shell would misread (> would redirect)', () => {
    expect(shellQuote('hardware_model=NX-200')).toBe('hardware_model=NX-200');
    expect(shellQuote('fatigue>=3')).toBe("'fatigue>=3'");
    expect(shellQuote("notes~it's")).toBe(`'notes~it'\\''s'`);
    expect(pullCommand(['fatigue>=3', 'rig=rig-01'])).toBe("recpipe pull 'fatigue>=3' rig=rig-01 --dest ./data");
  });
});

describe('bind address', () => {
  it('knows loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.5', '::', '128.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('refuses a reachable address unless asked, and says how to do without', () => {
    expect(() => checkBind('127.0.0.1', 0, false)).not.toThrow();
    expect(() => checkBind('0.0.0.0', 8765, false)).toThrow(/refusing to serve the catalog on 0.0.0.0/);
    expect(() => checkBind('0.0.0.0', 8765, true)).not.toThrow();
    expect(() => checkBind('example.org', 8765, true)).toThrow(/not an IP address/);
    expect(() => checkBind('127.0.0.1', 70000, false)).toThrow(/not a port/);
  });
});
