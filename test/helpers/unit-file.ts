/**
 * Reads a systemd unit file as systemd would for what the tests need: the keys of each section
 * (a key may repeat), `Environment=` assignments (quoted ones may hold spaces), `KEY=VALUE`
 * environment files, and the `%S` / `%L` specifiers (systemd.unit(5)).
 */

/** Section name -> key -> every value given, in order. */
export type Unit = Record<string, Record<string, string[]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = head[1];
      unit[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    ((unit[section] ??= {})[key] ??= []).push(line.slice(eq + 1).trim());
  }
  return unit;
}

/** The variables one `Environment=` value assigns (`A=1 "B=two words"`). */
export function environmentAssignments(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = m[1] ?? m[2];
    const eq = word.indexOf('=');
    if (eq > 0) out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

/** The variables of an `EnvironmentFile=` (`KEY=VALUE` lines, `#` comments). */
export function environmentFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    const eq = line.indexOf('=');
    if (!line.startsWith('#') && eq > 0)
      out[line.slice(0, eq).trim()] = line
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** Replaces `%S` (the state root, /var/lib) and `%L` (the logs root, /var/log). */
export function expandSpecifiers(value: string, roots: { state: string; logs: string }): string {
  return value.replace(/%S/g, roots.state).replace(/%L/g, roots.logs);
}
