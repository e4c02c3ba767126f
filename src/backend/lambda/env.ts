/** Typed access to the Lambda environment, read when a container starts, not at import. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return v;
}

/** A whole number > 0 from the environment (quota limits set by the CDK stack). */
export function requirePositiveInt(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const v = requireEnv(name, env);
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0)
    throw new Error(`environment variable ${name} must be a whole number > 0 (got ${JSON.stringify(v)})`);
  return n;
}
