/**
 * The Rigs page: per rig, last heartbeat and upload (and how long ago), the sessions that need a
 * look (by what its watcher reported, and by their one state), and its API keys, revoked ones named.
 */
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

/** "3 h ago", "2 d ago": how long since `iso`, for people. */
export function ago(iso: string | undefined, now: string): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 120) return `${Math.round(s)} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function keys(k: RigsResult['rigs'][number]['keys']): Safe {
  if (!k) return html``;
  const revoked = k.revoked.map((r) => html`<br /><small class="tone-failing">${r.id} revoked ${r.revokedAt}</small>`);
  return html`<span class="${k.active === 0 && k.revoked.length ? 'tone-failing' : ''}"
      >${k.active} active${k.revoked.length ? `, ${k.revoked.length} revoked` : ''}</span
    >${revoked}`;
}

export function rigsPage(r: RigsResult): Safe {
  const rows = r.rigs.map(
    (g) =>
      html`<tr data-rig="${g.rig}">
        <td>${g.rig}</td>
        <td>${g.lastHeartbeat ?? 'never'}${g.lastHeartbeat ? html`<br /><small>${ago(g.lastHeartbeat, r.now)}</small>` : ''}</td>
        <td>${g.lastUpload ?? 'never'}${g.lastUpload ? html`<br /><small class="ago">${ago(g.lastUpload, r.now)}</small>` : ''}</td>
        <td class="num">${g.catalogued}</td>
        <td>${ids(g.waiting, true)}</td>
        <td>${ids(g.invalid, false)}</td>
        <td>${ids(g.failed, true)}</td>
        <td class="${g.failing?.length ? 'tone-failing' : ''}">${ids(g.failing ?? [], true)}</td>
        <td class="${g.attention?.length ? 'tone-attention' : ''}">${ids(g.attention ?? [], true)}</td>
        <td class="keys">${keys(g.keys)}</td>
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
          <th>upload failed</th>
          <th>failing</th>
          <th>needs a look</th>
          <th>API keys</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${r.rigs.length === 0 ? html`<p>No rig has uploaded or reported yet.</p>` : ''}
    <p>
      <small
        >${r.eventSource}. Waiting, invalid and upload failed count sessions by the latest event their rig's <code>recpipe watch</code> shipped; failing (dead,
        incomplete, damaged) and needs a look (done with gaps, revision held, retrying) are their state as <code>recpipe status</code> gives it.</small
      >
    </p>`;
}
