/** Commands shown to people to paste into a POSIX shell. Pure. */

/** A word quoted for a POSIX shell unless it is plainly safe (`>` and `<` are not). */
export function shellQuote(term: string): string {
  return /^[A-Za-z0-9_=.,/:@+-]+$/.test(term) ? term : `'${term.replace(/'/g, `'\\''`)}'`;
}

/** Words joined into a command line, each quoted as it must be. */
export function commandLine(words: string[]): string {
  return words.map(shellQuote).join(' ');
}
