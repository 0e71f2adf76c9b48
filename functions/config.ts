import { ConfigError } from './errors';

/** Reads an environment variable once; throws a message naming it when it is missing or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(`environment variable ${name} is required but not set`);
  return value;
}

export function optionalIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`environment variable ${name} must be a positive integer, got '${value}'`);
  return n;
}

/** The CloudWatch namespace when POWERTOOLS_METRICS_NAMESPACE is unset (the stack sets it to the same value). */
export const DEFAULT_METRICS_NAMESPACE = 'residual';

/** The metrics namespace: POWERTOOLS_METRICS_NAMESPACE (set by infra/constructs/scoring.ts), else `residual`. */
export function metricsNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE;
}
