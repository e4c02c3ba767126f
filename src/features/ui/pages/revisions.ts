/** A revised session's revisions on its page: which is served, which are held, and what each changes (both hashes). */
import { html, type Safe } from '../html.js';
import type { RevisionState } from '../../../core/session/served-revision.js';

const STATUS: Record<string, string> = {
  first: 'first commit',
  auto_accepted: 'accepted (adds files only)',
  accepted: 'accepted',
  held: 'held for review',
  rejected: 'rejected',
  superseded: 'superseded',
};

export function revisionsSection(r: RevisionState | undefined): Safe {
  if (!r) return html``;
  const rows = r.revisions.map(
    (v) =>
      html`<tr data-revision="${v.revision}" class="${v.status === 'held' ? 'tone-attention' : ''}">
        <td class="num">${v.revision}${v.revision === r.served ? ' (served)' : ''}</td>
        <td>${STATUS[v.status] ?? v.status}${v.decision ? html`<br /><small>by ${v.decision.by} at ${v.decision.at}</small>` : ''}</td>
        <td>${v.committedAt}</td>
        <td>
          ${v.changed.map(
            (c) =>
              html`<div class="changed">
                ${c.name}: <code>${c.before.sha256}</code> (${c.before.size} B) → <code>${c.after.sha256}</code> (${c.after.size} B)
              </div>`,
          )}
          ${v.added.length ? html`<div>adds ${v.added.join(', ')}</div>` : ''}
          ${
            v.status === 'held'
              ? html`<div class="next">
                  decide: <code>recpipe revisions accept ${r.sessionId} ${v.revision}</code> or
                  <code>recpipe revisions reject ${r.sessionId} ${v.revision}</code>
                </div>`
              : ''
          }
        </td>
      </tr>`,
  );
  return html`<section>
    <h2>Revisions</h2>
    <p>Revision ${r.served} of ${r.newest} is served: the raw files, outputs and <code>pull</code> below are its.</p>
    <table id="revisions">
      <thead>
        <tr>
          <th>revision</th>
          <th>status</th>
          <th>created</th>
          <th>changes</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}
