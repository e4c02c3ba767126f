/**
 * The command table. Each entry registers one command's options and help; its action imports
 * the use-case lazily. Add a command by adding one import and one line to COMMANDS.
 */
import type { Command } from 'commander';
import type { Action } from '../main.js';
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
import { registerUi } from './ui.js';
import { registerUpload } from './upload.js';
import { registerVerify } from './verify.js';
import { registerWatch } from './watch.js';

export type Run = (name: string, action: Action) => (...args: unknown[]) => Promise<void>;
export type Register = (program: Command, run: Run) => void;

export const COMMANDS: Register[] = [
  registerCheck,
  registerConfig,
  registerConfigure,
  registerDemo,
  registerKeys,
  registerLocal,
  registerProcess,
  registerPull,
  registerQuery,
  registerRevisions,
  registerSnapshot,
  registerUi,
  registerUpload,
  registerVerify,
  registerWatch,
];
