/**
 * The command table. Each entry registers one command's arguments and help; its action imports
 * the use-case lazily. Its flags are declared in src/cli/flags/table.ts and added by registerAll.
 * Add a command by adding one import and one line to COMMANDS, and its entry to the flag table.
 */
import type { Command } from 'commander';
import type { CommandResult, Runtime } from '../context.js';
import { applyFlags } from '../flags/to-commander.js';
import { COMMAND_FLAGS, GLOBAL_FLAGS, type CommandName, type FlagsOf } from '../flags/table.js';
import { registerCheck } from './check.js';
import { registerConfig } from './config.js';
import { registerConfigure } from './configure.js';
import { registerDemo } from './demo.js';
import { registerKeys } from './keys.js';
import { registerLocal } from './local.js';
import { registerProcess } from './process.js';
import { registerPull } from './pull.js';
import { registerQuery } from './query.js';
import { registerRevisions } from './revisions.js';
import { registerSnapshot } from './snapshot.js';
import { registerStatus } from './status.js';
import { registerUi } from './ui.js';
import { registerUpload } from './upload.js';
import { registerVerify } from './verify.js';
import { registerWatch } from './watch.js';

/** A command's action: its flags parsed and typed by the flag table, then commander's positional arguments. */
export type Action<N extends CommandName> = (rt: Runtime, flags: FlagsOf<N>, ...args: unknown[]) => Promise<CommandResult>;
/** Wraps an action into commander's action handler (main.ts: flags, runtime, errors, rendering). */
export type Run = <N extends CommandName>(name: N, action: Action<N>) => (...args: unknown[]) => Promise<void>;
export type Register = (program: Command, run: Run) => void;

export const COMMANDS: Register[] = [
  registerCheck,
  registerConfig,
  registerConfigure,
  registerDemo,
  registerKeys,
  registerLocal,
  registerProcess,
  registerStatus,
  registerPull,
  registerQuery,
  registerRevisions,
  registerSnapshot,
  registerUi,
  registerUpload,
  registerVerify,
  registerWatch,
];

/** Registers every command, then adds the declared flags to each (and the global ones to the program). */
export function registerAll(program: Command, run: Run): void {
  for (const register of COMMANDS) register(program, run);
  applyFlags(program, COMMAND_FLAGS, GLOBAL_FLAGS);
}
