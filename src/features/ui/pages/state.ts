/** The one session state as the pages show it: a coloured label, then each reason with its next step. */
import { html, type Safe } from '../html.js';
import type { SessionState } from '../source.js';

/** The state label, coloured by tone (green ok, grey pending, amber attention, red failing). */
export function stateBadge(s: SessionState | undefined): Safe {
  if (!s) return html`<span class="tone-pending">unknown</span>`;
  const held = s.revisions?.held.length ? html` <span class="held">revision ${s.revisions.held.join(', ')} held</span>` : '';
  return html`<span class="tone-${s.tone}" data-state="${s.kind}">${s.label}</span>${held}`;
}

/** The state section of a session page: what is wrong first, each with what to do. */
export function stateSection(s: SessionState | undefined): Safe {
  if (!s) return html``;
  const reasons = s.reasons.length
    ? html`<ul id="reasons">
        ${s.reasons.map((r) => html`<li>${r.message}${r.next ? html`<br /><small class="next">next: ${r.next}</small>` : ''}</li>`)}
      </ul>`
    : '';
  const when = s.checkedAt ? html`<p><small>verify findings as of ${s.checkedAt}</small></p>` : '';
  return html`<section id="state" class="state tone-${s.tone}">
    <h2>State: ${stateBadge(s)}</h2>
    ${reasons}${when}
  </section>`;
}
