/**
 * The CLI edge: parse argv with commander, run one command, render its result or error, and
 * return the exit code. The only place that decides exit codes. Command modules are imported
 * lazily so `recpipe --help` loads no AWS SDK or DuckDB.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, RecpipeError, isRecpipeError } from '../core/errors.js';
import { createRuntime, type CliIo, type Runtime } from './context.js';
import { registerAll, type Run } from './commands/index.js';
import { configFromFlags, parseFlags } from './flags/parse-flags.js';
import { COMMAND_FLAGS, GLOBAL_FLAGS } from './flags/table.js';
import { VERSION } from '../version.js';
import { isJournalStream } from './render/reporter-kind.js';

export async function main(argv: string[], partialIo: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = {
    stdout: partialIo.stdout ?? process.stdout,
    stderr: partialIo.stderr ?? process.stderr,
    env: partialIo.env ?? process.env,
    isTTY: partialIo.isTTY ?? Boolean(process.stderr.isTTY),
    // A caller that passes its own streams (tests) gets $COLUMNS only, never this process's terminal.
    columns: partialIo.columns ?? terminalColumns(partialIo.env ?? process.env, partialIo.stdout === undefined),
    progressColumns: partialIo.progressColumns ?? (partialIo.stderr ? undefined : process.stderr.columns),
    journal: partialIo.journal ?? (partialIo.stderr ? false : isJournalStream(partialIo.env ?? process.env)),
    cwd: partialIo.cwd ?? process.cwd(),
    stdin: partialIo.stdin ?? process.stdin,
  };
  let exitCode = 0;
  const controller = new AbortController();
  // The first SIGINT/SIGTERM asks the command to stop (it checkpoints and says how to resume);
  // a second one stops the process at once. The handler stays registered until the command
  // ends: with `once`, it was gone by the time ora's signal-exit hook looked, which then saw
  // itself alone and re-raised the signal, killing the process mid-upload without a word.
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) return controller.abort(new RecpipeError('interrupted', `interrupted by ${sig}`));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.kill(process.pid, sig);
  };
  const program = new Command('recpipe')
    .description('Carry research recordings from lab rigs to S3, catalogue and preprocess them, and stage the results on EC2.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage and an example)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe demo                      run the whole pipeline on the embedded stack\n  $ recpipe check ./20210228_161221   validate a session folder\n  $ recpipe upload ./20210228_161221  upload it (resumable, verified)\n',
    );

  /** Before a command has a runtime (no log, no reporter): one line, or the error as JSON with --json. */
  const refuse = (e: RecpipeError, json: boolean) => {
    exitCode = EXIT_CODES[e.code];
    if (json) io.stdout.write(JSON.stringify({ error: e.toJSON() }, null, 2) + '\n');
    else io.stderr.write(`error: ${e.message}\n${e.hint ? `  fix: ${e.hint}\n` : ''}`);
  };

  /** Wraps a command action: flags, runtime, errors, rendering. */
  const run: Run =
    (name, action) =>
    async (...args: unknown[]) => {
      // Commander calls an action with the positional arguments, the options, then the command.
      const cmd = args.at(-1);
      if (!(cmd instanceof Command)) throw new Error(`commander called ${name} without its command`);
      const rawGlobals: Record<string, unknown> = program.opts();
      let globals, flags;
      try {
        // Every flag is read before anything starts: a malformed one stops the command here.
        globals = parseFlags(GLOBAL_FLAGS, rawGlobals);
        flags = parseFlags(COMMAND_FLAGS[name], cmd.opts());
      } catch (e) {
        if (!isRecpipeError(e)) throw e;
        return refuse(e, rawGlobals.json === true);
      }
      let rt: Awaited<ReturnType<typeof createRuntime>>;
      try {
        rt = await createRuntime(io, globals, name, controller.signal, configFromFlags(COMMAND_FLAGS[name], flags));
      } catch (e) {
        // No runtime (no log, no reporter): a home the command cannot write, say so plainly.
        if (!isRecpipeError(e)) throw e;
        return refuse(e, globals.json);
      }
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await action(rt, flags, ...args.slice(0, -2));
        rt.settleProgress();
        if (rt.json) io.stdout.write(JSON.stringify(result.data, null, 2) + '\n');
        else if (result.human) io.stdout.write(result.human.endsWith('\n') ? result.human : result.human + '\n');
        exitCode = result.exitCode ?? 0;
      } catch (e) {
        exitCode = renderError(e, rt, Boolean(globals.debug));
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await rt.close();
      }
    };

  registerAll(program, run);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_CODES.usage;
    }
    throw e;
  }
  return exitCode;
}

/** The terminal's width: stdout's, else stderr's, else $COLUMNS; 0 when none says (tables then use a default). */
function terminalColumns(env: NodeJS.ProcessEnv, ownTerminal: boolean): number {
  const n = (ownTerminal ? process.stdout.columns || process.stderr.columns : 0) || Number(env.COLUMNS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function renderError(e: unknown, rt: Runtime, debug: boolean): number {
  rt.reporter.fail();
  if (isRecpipeError(e)) {
    rt.logger.log('error', 'command.failed', { code: e.code, message: e.message, details: e.details });
    if (rt.json) rt.io.stdout.write(JSON.stringify({ error: e.toJSON(), log: rt.logPath }, null, 2) + '\n');
    else {
      rt.io.stderr.write(`error: ${e.message}\n`);
      if (e.hint) rt.io.stderr.write(`  fix: ${e.hint}\n`);
      if (e.fault === 'system') rt.io.stderr.write(`  log: ${rt.logPath}\n`);
      if (debug && e.cause instanceof Error) rt.io.stderr.write(`${e.cause.stack}\n`);
    }
    return EXIT_CODES[e.code];
  }
  const err = e instanceof Error ? e : new Error(String(e));
  rt.logger.log('error', 'command.crashed', { error: err });
  if (rt.json) rt.io.stdout.write(JSON.stringify({ error: { code: 'internal', message: err.message }, log: rt.logPath }, null, 2) + '\n');
  else {
    rt.io.stderr.write(`error: unexpected failure: ${err.message}\n  this is a bug in recpipe; details are in ${rt.logPath}\n`);
    if (debug) rt.io.stderr.write(`${err.stack}\n`);
  }
  return EXIT_CODES.internal;
}
