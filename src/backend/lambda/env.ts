/** Typed access to the Lambda environment, read when a container starts, not at import. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return v;
}
