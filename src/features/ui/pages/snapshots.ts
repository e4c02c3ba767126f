/** The Snapshots page: every snapshot, and one snapshot's files with the command that pulls them. */
import type { SnapshotRow, SnapshotSummary } from '../../../core/snapshot/rows.js';
import { formatBytes, href, html, type Safe } from '../html.js';

export function snapshotsPage(list: SnapshotSummary[]): Safe {
  const rows = list.map(
    (s) =>
      html`<tr data-snapshot="${s.name}">
        <td><a href="${href('/snapshots', { name: s.name })}">${s.name}</a></td>
        <td>${s.created_at}</td>
        <td><code>${s.query}</code></td>
        <td class="num">${s.sessions}</td>
        <td class="num">${s.files}</td>
        <td class="num" title="${s.bytes} bytes">${formatBytes(s.bytes)}</td>
      </tr>`,
  );
  return html`<h1>Snapshots</h1>
    <p>The exact files a query gave when the snapshot was taken; pulling one gives those files, whatever arrived since.</p>
    <table id="snapshots">
      <thead>
        <tr>
          <th>name</th>
          <th>taken</th>
          <th>query</th>
          <th>sessions</th>
          <th>files</th>
          <th>size</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${list.length === 0 ? html`<p>No snapshot yet: <code>recpipe snapshot create NAME FILTER...</code> takes one.</p>` : ''}`;
}

export function snapshotPage(name: string, rows: SnapshotRow[] | undefined): Safe {
  if (!rows)
    return html`<h1>${name}</h1>
      <p class="error" role="alert">No snapshot named ${name}. <a href="${href('/snapshots', {})}">All snapshots</a></p>`;
  const cmd = `recpipe pull --snapshot ${name} --dest ./${name}`;
  const bytes = rows.reduce((n, r) => n + r.bytes, 0);
  const files = rows.map(
    (r) =>
      html`<tr>
        <td><a href="${href('/session', { id: r.session_id })}">${r.session_id}</a></td>
        <td class="num">${r.revision ?? ''}</td>
        <td>${r.pipeline} v${r.pipeline_version}</td>
        <td>${r.file}</td>
        <td class="num" title="${r.bytes} bytes">${formatBytes(r.bytes)}</td>
        <td><code title="${r.sha256}">${r.sha256.slice(0, 12)}…</code></td>
      </tr>`,
  );
  return html`<h1>Snapshot ${name}</h1>
    <p class="summary" id="summary">
      taken ${rows[0]?.created_at} from <code>${rows[0]?.query}</code>: ${new Set(rows.map((r) => r.session_id)).size} sessions, ${rows.length} files,
      ${formatBytes(bytes)}
    </p>
    <p class="pull">
      <label for="pull-cmd">Pull these</label> <input id="pull-cmd" readonly value="${cmd}" size="60" />
      <button type="button" id="copy-pull" data-copy="pull-cmd">Copy</button> <span id="copy-state" aria-live="polite"></span>
    </p>
    <table id="snapshot-files">
      <thead>
        <tr>
          <th>session</th>
          <th>revision</th>
          <th>pipeline</th>
          <th>file</th>
          <th>size</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        ${files}
      </tbody>
    </table>`;
}
