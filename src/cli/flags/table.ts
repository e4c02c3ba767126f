/**
 * Every flag of every command, by command path (`upload`, `snapshot create`), declared once:
 * main.ts adds them to commander (to-commander.ts) and hands each action its flags parsed and
 * typed (parse-flags.ts). A command with no flags still has an entry, so `run` knows it.
 */
import { ADMIN_FLAGS, GLOBAL_FLAGS } from './admin-flags.js';
import { DATA_FLAGS } from './data-flags.js';
import type { FlagSet, FlagValues } from './declare.js';
import { INGEST_FLAGS } from './ingest-flags.js';

export const COMMAND_FLAGS = { ...INGEST_FLAGS, ...DATA_FLAGS, ...ADMIN_FLAGS } satisfies Record<string, FlagSet>;

export { GLOBAL_FLAGS };

/** A command that has an action: `upload`, `snapshot create`. */
export type CommandName = keyof typeof COMMAND_FLAGS;

/** The parsed, typed flags of one command. */
export type FlagsOf<N extends CommandName> = FlagValues<(typeof COMMAND_FLAGS)[N]>;

/** The program's own flags (--json, --profile, --debug), parsed. */
export type GlobalFlags = FlagValues<typeof GLOBAL_FLAGS>;
