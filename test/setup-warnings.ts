// The AWS SDK warns in every test file that its 2027 releases need Node 22 (README says so);
// keep the test output for real problems.
const emit = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || String((warning as Error)?.name ?? warning).includes('NodeVersionSupportWarning')) return;
  (emit as (...a: unknown[]) => void)(warning, ...rest);
};
