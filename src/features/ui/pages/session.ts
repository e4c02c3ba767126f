/**
 * The Session page: its state (the one `status` and `verify` give) and data warnings first, then
 * its revisions, metadata, the served revision's raw files, processing, outputs, verify findings,
 * and the raw provenance last.
 */
import { formatBytes, href, html, type Safe } from '../html.js';
import type { SessionDetail } from '../source.js';
import { revisionsSection } from './revisions.js';
import { stateSection } from './state.js';

function kv(rows: [string, unknown][]): Safe {
  return html`<table class="kv">
    ${rows
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(
        ([k, v]) =>
          html`<tr>
            <th>${k}</th>
            <td>${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean | bigint)}</td>
          </tr>`,
      )}
  </table>`;
}

export function sessionPage(id: string, d: SessionDetail): Safe {
  const m = d.manifest;
  const meta = kv([
    ['session', id],
    ['recorded at', d.row?.recorded_at ?? m?.recordedAt],
    ['uploaded at', d.row?.uploaded_at],
    ['files', d.row?.file_count ?? m?.fileCount],
    ['bytes', d.row ? `${formatBytes(d.row.total_bytes)} (${d.row.total_bytes})` : m?.totalBytes],
    ['manifest sha-256', d.row?.manifest_sha256],
    ['revision served', d.revisions ? `${d.revisions.served} of ${d.revisions.newest}` : undefined],
    ['client', m ? `${m.client.name} ${m.client.version} on ${m.client.host} (${m.client.transport})` : undefined],
    ...Object.entries(d.row?.variables ?? { ...m?.variables.text, ...m?.variables.numeric }),
  ]);
  const raw = m
    ? html`<table id="raw-files">
        <thead>
          <tr>
            <th>file</th>
            <th>role</th>
            <th>bytes</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          ${m.files.map(
            (f) =>
              html`<tr>
                <td>${f.name}</td>
                <td>${f.role}</td>
                <td class="num" title="${f.size} bytes">${formatBytes(f.size)}</td>
                <td><code>${f.sha256}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p>No manifest: the upload of this session has not been committed.</p>`;
  const ledger = d.ledger.length
    ? html`<table id="ledger">
        <thead>
          <tr>
            <th>pipeline</th>
            <th>version</th>
            <th>state</th>
            <th>attempts</th>
            <th>started</th>
            <th>finished</th>
            <th>updated</th>
            <th>code</th>
            <th>outputs</th>
            <th>last error</th>
          </tr>
        </thead>
        <tbody>
          ${d.ledger.map(
            (l) =>
              html`<tr>
                <td>${l.pipeline}</td>
                <td>${l.pipeline_version}</td>
                <td class="state-${l.state}">${l.state}</td>
                <td class="num">${l.attempts}</td>
                <td>${l.started_at}</td>
                <td>${l.finished_at}</td>
                <td>${l.updated_at}</td>
                <td>${l.code_version}</td>
                <td class="num">${l.output_count}</td>
                <td>${l.last_error}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p id="ledger">Not processed yet: no ledger entry.</p>`;
  const outputs = d.outputs.length
    ? html`<table id="outputs">
        <thead>
          <tr>
            <th>file</th>
            <th>pipeline</th>
            <th>bytes</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          ${d.outputs.map(
            (f) =>
              html`<tr>
                <td>${f.file}</td>
                <td>${f.pipeline} v${f.pipeline_version}</td>
                <td class="num">${formatBytes(f.bytes)}</td>
                <td><code>${f.sha256}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p>No outputs for the configured pipeline version.</p>`;
  const found = d.state?.reasons.filter((r) => r.source === 'verify') ?? [];
  const findings = d.findingsError
    ? html`<p class="error">verify could not run: ${d.findingsError}</p>`
    : d.findings.length || found.length
      ? html`<ul id="findings">
          ${d.findings.map((f) => html`<li><strong>${f.category}</strong>: ${f.message}${f.next ? html`<br /><small class="next">next: ${f.next}</small>` : ''}</li>`)}
          ${found
            .filter((r) => !d.findings.some((f) => f.category === r.category))
            .map(
              (r) =>
                html`<li>
                  <strong>${r.category}</strong> (last verify): ${r.message}${r.next ? html`<br /><small class="next">next: ${r.next}</small>` : ''}
                </li>`,
            )}
        </ul>`
      : d.state && d.state.tone !== 'ok'
        ? html`<p id="findings">verify found nothing beyond the state above.</p>`
        : html`<p id="findings">verify found nothing wrong with this session.</p>`;
  const warnings = d.warnings.length
    ? html`<ul id="warnings">
        ${d.warnings.map((w) => html`<li>${typeof w === 'string' ? w : JSON.stringify(w)}</li>`)}
      </ul>`
    : html`<p id="warnings">No data warnings recorded.</p>`;
  const provenance = d.provenance
    ? html`<details>
        <summary>_provenance.json of the configured pipeline version</summary>
        <pre id="provenance">${JSON.stringify(d.provenance, null, 2)}</pre>
      </details>`
    : html`<p id="provenance">No provenance for the configured pipeline version.</p>`;
  return html`<p><a href="${href('/sessions', {})}">← Sessions</a></p>
    <h1>${id}</h1>
    ${stateSection(d.state)}
    <section>
      <h2>Data warnings</h2>
      ${warnings}
    </section>
    ${revisionsSection(d.revisions)}
    <section>
      <h2>Metadata</h2>
      ${meta}
    </section>
    <section>
      <h2>Raw files${d.revisions ? html` (revision ${d.revisions.served})` : ''}</h2>
      ${raw}
    </section>
    <section>
      <h2>Processing</h2>
      ${ledger}
    </section>
    <section>
      <h2>Outputs</h2>
      ${outputs}
    </section>
    <section>
      <h2>Verify findings</h2>
      ${findings}
    </section>
    <section>
      <h2>Provenance</h2>
      ${provenance}
    </section>`;
}
