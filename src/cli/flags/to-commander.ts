/**
 * The flag table, as commander options: each command's declared flags are added to it after the
 * commands are registered, with help that states the range, the default and the config key and
 * environment variable a flag shares. Commander only collects the text; parse-flags.ts reads it.
 */
import { Option, type Command } from 'commander';
import { DEFAULTS, envName } from '../../config/schema.js';
import type { FlagSet, FlagSpec } from './declare.js';

/** The help line of a flag: its text, then (range; default; config key and env), all generated from the declaration. */
export function helpOf(spec: FlagSpec<unknown>): string {
  const notes: string[] = [];
  if (spec.type?.range) notes.push(spec.type.range);
  const fallback = spec.config ? DEFAULTS[spec.config] : spec.fallback;
  if (spec.type && (typeof fallback === 'number' || typeof fallback === 'string')) notes.push(`default ${fallback}`);
  if (spec.config) notes.push(`config ${spec.config}, env ${envName(spec.config)}`);
  if (notes.length === 0) return spec.help;
  // A help text that ends in its own parenthesis gets the notes inside it: "(default: a free one; 0-65535)".
  return spec.help.endsWith(')') ? `${spec.help.slice(0, -1)}; ${notes.join('; ')})` : `${spec.help} (${notes.join('; ')})`;
}

/** One commander option; throws when the declared name is not the one commander reads it under (a table typo). */
export function commanderOption(name: string, spec: FlagSpec<unknown>): Option {
  const option = new Option(spec.flags, helpOf(spec));
  if (option.attributeName() !== name) throw new Error(`flag table: "${spec.flags}" is read as "${option.attributeName()}", but declared as "${name}"`);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

/** A command's path below the program: `upload`, `snapshot create`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command in the tree under `program`, the program first. */
export function allCommands(program: Command): Command[] {
  return [program, ...program.commands.flatMap((c) => allCommands(c))];
}

/**
 * Adds each command's declared flags (`table` by command path; `globals` to the program). Throws
 * when a declared command does not exist, so a renamed command cannot leave its flags behind.
 */
export function applyFlags(program: Command, table: Readonly<Record<string, FlagSet>>, globals: FlagSet): void {
  const seen = new Set<string>();
  for (const cmd of allCommands(program)) {
    const path = commandPath(cmd);
    const set = path === '' ? globals : table[path];
    if (!set) continue;
    seen.add(path);
    for (const [name, spec] of Object.entries(set)) cmd.addOption(commanderOption(name, spec));
  }
  const missing = Object.keys(table).filter((p) => !seen.has(p));
  if (missing.length) throw new Error(`flag table: no command ${missing.map((p) => `"${p}"`).join(', ')}`);
}
