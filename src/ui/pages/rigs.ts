/** The Rigs page: per rig, last heartbeat and upload, and the sessions that need a look. */
import { href, html, type Safe } from '../html.js';
import type { RigsResult } from '../source.js';

/** A count and the session names; linked when the session can have a page (not for invalid names). */
function ids(list: string[], link: boolean): Safe {
  if (list.length === 0) return html`0`;
  const name = (id: string) => id.split('/')[1] ?? id;
  return html`${list.length}<br /><small
      >${list.map((id, i) => html`${i ? ', ' : ''}${link ? html`<a href="${href('/session', { id })}">${name(id)}</a>` : name(id)}`)}</small
    >`;
}

export function rigsPage(r: RigsResult): Safe {
  const rows = r.rigs.map(
    (g) =>
      html`<tr data-rig="${g.rig}">
        <td>${g.rig}</td>
        <td>${g.lastHeartbeat ?? 'never'}</td>
        <td>${g.lastUpload ?? 'never'}</td>
        <td class="num">${g.catalogued}</td>
        <td>${ids(g.waiting, true)}</td>
        <td>${ids(g.invalid, false)}</td>
        <td>${ids(g.failed, true)}</td>
      </tr>`,
  );
  return html`<h1>Rigs</h1>
    <table id="rigs">
      <thead>
        <tr>
          <th>rig</th>
          <th>last heartbeat</th>
          <th>last upload</th>
          <th>catalogued</th>
          <th>waiting</th>
          <th>invalid</th>
          <th>failed</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${r.rigs.length === 0 ? html`<p>No rig has uploaded or reported yet.</p>` : ''}
    <p>
      <small>${r.eventSource}. Waiting, invalid and failed count sessions by the latest event their rig's <code>recpipe watch</code> shipped.</small>
    </p>`;
}
