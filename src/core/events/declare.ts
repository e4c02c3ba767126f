/**
 * How a log event is declared (core/events.ts holds the registry): once, with its name, the
 * level(s) it is logged at, a line saying what it means, and the shape of its fields. The
 * declaration types every `Logger.log` call and doubles as a type guard for a log line read back
 * (the web view, tests), as aws-cdk-cli's message makers do.
 */
import type { LogLevel } from '../ports.js';
import { conforms, obj, type Shape } from '../shape.js';

/** One declared event: `F` are the fields its line carries besides the logger's base fields. */
export interface EventSpec<N extends string = string, F extends object = object, L extends LogLevel = LogLevel> {
  readonly name: N;
  /** The levels it is logged at; one when it is fixed. */
  readonly levels: readonly L[];
  /** What it means (and who reads it: an alarm, the audit log, a person). */
  readonly description: string;
  readonly fields: Shape<F>;
  /** Whether a parsed log line is this event, at a declared level, with its declared fields. */
  is(line: unknown): line is LogLine<N, F, L>;
}

/** A log line of one event as read back (the logger's base fields and `time` may be there too). */
export type LogLine<N extends string, F extends object, L extends LogLevel> = { event: N; level: L } & F;

/** The fields of an event that carries none. */
export const NO_FIELDS: Shape<Record<string, never>> = obj({});

/** Declares an event (`level` one level, or the levels it may take by outcome). */
export function event<const N extends string, L extends LogLevel, F extends object = Record<string, never>>(
  name: N,
  level: L | readonly L[],
  description: string,
  fields: Shape<F> = NO_FIELDS as unknown as Shape<F>,
): EventSpec<N, F, L> {
  const levels: readonly L[] = typeof level === 'string' ? [level] : level;
  return {
    name,
    levels,
    description,
    fields,
    is: (line): line is LogLine<N, F, L> => {
      const l = line as { event?: unknown; level?: unknown } | null;
      return typeof l === 'object' && l !== null && l.event === name && levels.includes(l.level as L) && conforms(fields, line);
    },
  };
}
