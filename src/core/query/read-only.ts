/** `--sql` runs read-only: one SELECT (or WITH ... SELECT) statement, nothing that writes or loads. */
import { RecpipeError } from '../errors.js';

const FORBIDDEN =
  /\b(insert|update|delete|merge|create|drop|alter|truncate|copy|attach|detach|install|load|pragma|set|reset|call|export|import|vacuum|checkpoint|grant|revoke|unload|msck)\b/i;

export function assertReadOnlySql(sql: string): string {
  const stripped = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .trim()
    .replace(/;\s*$/, '');
  if (stripped.includes(';')) throw new RecpipeError('usage', '--sql takes one statement', { hint: 'remove the extra statements' });
  if (!/^(select|with)\b/i.test(stripped))
    throw new RecpipeError('usage', '--sql runs read-only queries: start with SELECT or WITH', {
      hint: 'query the tables sessions, processed_files and ledger',
    });
  const m = FORBIDDEN.exec(stripped);
  if (m) throw new RecpipeError('usage', `--sql is read-only; "${m[1]}" is not allowed`, { hint: 'use a SELECT over sessions, processed_files and ledger' });
  return sql.trim().replace(/;\s*$/, '');
}
