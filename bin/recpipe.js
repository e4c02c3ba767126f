#!/usr/bin/env node
// Thin launcher: everything lives in src/cli/main.ts (compiled to dist/ by `npm install` in a clone; shipped in the packed package).

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

let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (e) {
  // A clone where nothing built dist/ yet (`npm run build`; `npm test`, `npm run demo` and `npm pack` build first).
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/cli/main.js')) throw e;
  process.stderr.write(
    'error: recpipe is not built here (no dist/)\n  fix: in a clone, run `npm run build` (it needs the dev dependencies); a rig installs the packed package instead: README, "Install on a rig"\n',
  );
  process.exit(2);
}
const code = await main(process.argv.slice(2));
// Interrupted (Ctrl-C, SIGTERM): the command has saved its state, released its locks and said how
// to resume; a request still waiting for an answer (the SDK's do not listen to the signal) must
// not keep the process alive.
if (code === 130) process.exit(code);
process.exitCode = code;
