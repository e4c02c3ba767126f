#!/usr/bin/env node
// Thin launcher: everything lives in src/cli/main.ts (compiled to dist/ by `npm install`).

// The AWS SDK warns on every start that releases after January 2027 need Node 22; recpipe
// documents that in its README and `engines`, so the warning is not repeated to every user.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning?.name ?? warning).includes('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

// A reader that stops early (`recpipe query --format csv | head`) closes the pipe: stop quietly, as
// Unix tools do, instead of a stack trace for an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

const { main } = await import('../dist/cli/main.js');
const code = await main(process.argv.slice(2));
// Interrupted (Ctrl-C, SIGTERM): the command has saved its state, released its locks and said how
// to resume; a request still waiting for an answer (the SDK's do not listen to the signal) must
// not keep the process alive.
if (code === 130) process.exit(code);
process.exitCode = code;
