/** Wraps text for a table cell at word boundaries, so a reason is never cut mid-word. */

/**
 * Breaks `text` into lines of at most `width` characters, at spaces; a word longer than a line
 * (a path, a URL) is broken where the line ends, since dropping part of it would be worse.
 */
export function wrapWords(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
