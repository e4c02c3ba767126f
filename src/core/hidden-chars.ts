/**
 * Characters a file name must not carry because they are invisible or change how the text
 * around them is shown: controls (C0, DEL, C1), format characters (bidirectional overrides,
 * isolates and marks, zero-width spaces and joiners, the byte-order mark, soft hyphen, tags) and
 * the line and paragraph separators. `report\u202Eslx.bin` is shown as `reportnib.xls`; a name
 * with U+2028 breaks a log line in two. Listings, terminals and the web view would show such a
 * name as something it is not, so it is refused with the character named by its code point.
 */

/** Unicode general categories Cc (controls), Cf (format), Zl and Zp (line, paragraph separators). */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const HIDDEN_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Names of the characters an attacker reaches for first, so the error says what it found. */
const NAMES: Record<number, string> = {
  0x0000: 'NULL',
  0x0009: 'CHARACTER TABULATION',
  0x000a: 'LINE FEED',
  0x000d: 'CARRIAGE RETURN',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
  0x0085: 'NEXT LINE',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** `U+202E`, four hex digits at least. */
export const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function kind(cp: number): string {
  if (cp < 0x20 || cp === 0x7f) return 'a control character';
  if (cp >= 0x80 && cp <= 0x9f) return 'a C1 control character';
  if (cp === 0x2028 || cp === 0x2029) return 'a line break character';
  if (cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
    return 'a bidirectional control character that can make the name display differently from what is stored';
  return 'an invisible formatting character that can make the name display differently from what is stored';
}

/**
 * The first hidden character of `name`, described with its code point and position (1-based, in
 * characters), or undefined when there is none. One line, for `fileNameProblem`.
 */
export function hiddenCharacterProblem(name: string): string | undefined {
  const m = HIDDEN.exec(name);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0)!;
  const at = [...name.slice(0, m.index)].length + 1;
  const label = NAMES[cp] ? ` (${NAMES[cp]})` : '';
  return `contains ${codePoint(cp)}${label} at character ${at}, ${kind(cp)}`;
}

/** `text` with every hidden character written as `\u{…}`: safe to print on one terminal line. */
export function escapeHidden(text: string): string {
  return text.replace(HIDDEN_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/**
 * A name quoted for a message: JSON quoting, with every hidden character written as `\u{…}`, so
 * the message cannot itself be reordered or split by the name it reports.
 */
export function quoteName(name: string): string {
  return escapeHidden(JSON.stringify(name));
}
