/** The lines `recpipe watch` ends with: counts, each failure with its reason, and after a signal what was cut short and how to resume. */
import type { WatchSummary } from '../../features/watch/daemon.js';

/** How the run ended, as the CLI edge knows it. */
export interface WatchEnd {
  /** The abort reason's message ("interrupted by SIGTERM") when a signal stopped the run. */
  stoppedBy?: string;
}

/** Renders the summary for people (pure). */
export function renderWatchSummary(s: WatchSummary, end: WatchEnd = {}): string {
  const cut = new Set(s.interrupted.map((i) => i.name));
  const waiting = s.waiting.filter((n) => !cut.has(n));
  const counts = [`${s.uploaded.length} uploaded`, ...(end.stoppedBy ? [`${cut.size} interrupted`] : []), `${waiting.length} waiting`];
  counts.push(`${s.invalid.length} invalid`, `${s.failed.length} failed under ${s.root}`);
  const lines = [`${end.stoppedBy ? `stopped (${end.stoppedBy}): ` : ''}${counts.join(', ')}`];
  for (const n of s.failed) lines.push(`  ${n}: failed: ${s.reasons[n] || 'no reason recorded'}`);
  for (const n of s.invalid) lines.push(`  ${n}: invalid: ${s.reasons[n] || 'no reason recorded'}`);
  for (const i of s.interrupted)
    lines.push(`  ${i.name}: interrupted at ${i.progress}%; the parts already sent are recorded in the journal and are not sent again`);
  if (end.stoppedBy) lines.push(`to resume: recpipe watch ${s.root}   (under systemd: systemctl start recpipe-watch)`);
  return lines.join('\n');
}
