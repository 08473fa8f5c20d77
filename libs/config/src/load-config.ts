import { type z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment against a schema whose keys are the variable names, so every
 * problem is reported with the variable that caused it, all at once rather than one per boot.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const received = env[variable];
    const shown = received === undefined ? 'unset' : `got "${redactValue(variable, received)}"`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

// Secrets must not leak into the start-up error that names them.
function redactValue(variable: string, value: string): string {
  if (/SECRET|PASSWORD|KEY|TOKEN/i.test(variable)) return '***';
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
