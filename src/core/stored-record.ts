/**
 * Checked readers for what recpipe stored earlier (ledger entries, manifests, catalog rows,
 * journals, local state files...). A record is read only through its declaration: the bytes are
 * parsed and checked against the record's shape, and a record that is cut short, is not JSON or
 * has a field of the wrong type is refused with a RecpipeError naming the object or file and the
 * field, never handed on as a typed value that breaks something later.
 */
import { RecpipeError, type ErrorCode } from './errors.js';
import type { Shape } from './shape.js';

/** One stored record type: its shape and what to say when a stored copy does not fit it. */
export interface StoredRecord<T> {
  /** What the record is, for messages ("ledger entry"). */
  readonly what: string;
  readonly shape: Shape<T>;
  /** The record in `text`, or a RecpipeError naming `where` (a key or a path) and what is wrong. */
  parse(text: string | Buffer, where: string): T;
  /** One record per line (NDJSON, blank lines skipped); the error names the line. */
  parseLines(text: string | Buffer, where: string): T[];
  /** Checks a value already parsed (a line of a log, an element of a file); throws like `parse`. */
  check(value: unknown, where: string): T;
  /** Whether a value already parsed is such a record. */
  is(value: unknown): value is T;
}

export interface StoredRecordOptions<T> {
  what: string;
  shape: Shape<T>;
  /** What the user can do about a bad copy (restore it, remove it, run something again). */
  hint: string;
  /** `integrity` (exit 3) for data; `config` (exit 2) for files a person edits or keeps. */
  code?: Extract<ErrorCode, 'integrity' | 'config'>;
}

/** Declares a stored record type and returns its one reader. */
export function storedRecord<T>(o: StoredRecordOptions<T>): StoredRecord<T> {
  const fail = (where: string, problem: string, cause?: unknown) =>
    new RecpipeError(o.code ?? 'integrity', `${o.what} ${where} cannot be read: ${problem}`, { hint: o.hint, cause, details: { path: where } });
  /** `line` names the line of an NDJSON object. */
  const check = (value: unknown, where: string, line = ''): T => {
    const problem = o.shape.check(value, '');
    if (problem !== undefined) throw fail(where, `${line}${problem}`);
    return value as T;
  };
  const json = (text: string, where: string, line = ''): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw fail(where, `${line}it is not whole JSON, cut short or damaged (${(e as Error).message})`, e);
    }
  };
  return {
    what: o.what,
    shape: o.shape,
    parse: (text, where) => check(json(text.toString(), where), where),
    parseLines: (text, where) =>
      text
        .toString()
        .split('\n')
        .map((line, i) => ({ line, at: `line ${i + 1}: ` }))
        .filter(({ line }) => line.trim() !== '')
        .map(({ line, at }) => check(json(line, where, at), where, at)),
    check: (value, where) => check(value, where),
    is: (value): value is T => o.shape.check(value, '') === undefined,
  };
}
