/** `recpipe check`: validate folders (each session of a watch root given whole) and report; exit 1 when any is invalid. */
import type { CommandResult, Runtime } from '../context.js';
import type { MetadataSchema } from '../../core/session/schema.js';
import { formatProblem, loadMetadataSchema, validateSessionDir } from '../../features/session/validate-session-dir.js';
import { asSessionRoot } from '../../features/session/session-root.js';

export async function checkSessions(rt: Runtime, dirs: string[], schemaPath?: string): Promise<CommandResult> {
  const config = rt.config();
  const path = schemaPath ?? config.metadataSchema;
  const schema: MetadataSchema | undefined = path ? await loadMetadataSchema(path) : undefined;
  const results = [];
  const lines: string[] = [];
  const targets: string[] = [];
  for (const dir of dirs) {
    const root = await asSessionRoot(dir);
    if (!root) {
      targets.push(dir);
      continue;
    }
    lines.push(
      `${dir} holds session folders (a watch root): checking its ${root.sessions.length} session folder(s)` +
        (root.others.length ? ` and ${root.others.length} other folder(s), which recpipe watch leaves alone until renamed` : ''),
    );
    targets.push(...root.sessions, ...root.others);
  }
  for (const dir of targets) {
    const r = await validateSessionDir(dir, { schema, markerFile: config.markerFile });
    results.push({
      dir,
      ok: r.ok,
      session: r.ok
        ? {
            session: r.session.session,
            recordedAt: r.session.recordedAt,
            files: r.session.files.length,
            totalBytes: r.session.totalBytes,
            variables: r.session.variables,
          }
        : undefined,
      problems: r.problems,
    });
    if (r.ok)
      lines.push(
        `ok ${r.session.dir}: ${r.session.files.length} files, ${r.session.totalBytes} bytes, ${Object.keys(r.session.variables.numeric).length} numeric + ${Object.keys(r.session.variables.text).length} text variables${r.problems.length ? `, ${r.problems.length} warning(s): archived as recorded, with them` : ''}${r.problems.some((p) => p.consequence === 'not_processed') ? '; its data will NOT be processed' : ''}`,
      );
    for (const p of r.problems) lines.push(formatProblem(p));
    rt.logger.log(r.ok ? 'info' : 'warn', r.ok ? 'check.session_valid' : 'check.session_invalid', { dir, problems: r.problems.map((p) => p.code) });
  }
  const invalid = results.filter((r) => !r.ok).length;
  lines.push(`${results.length - invalid} valid, ${invalid} invalid`);
  return { data: results, human: lines.join('\n'), exitCode: invalid > 0 ? 1 : 0 };
}
