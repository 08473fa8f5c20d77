import path from 'node:path';
import { z } from 'zod';

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/**
 * The console server's environment. Development sign-in mints tokens with the local development
 * key, so it is refused outright in production: a production console signs in through the
 * identity provider (OIDC), never by picking a seeded user.
 */
export const consoleEnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    INTAKE_URL: url('http://127.0.0.1:3001'),
    ROUTING_URL: url('http://127.0.0.1:3002'),
    APPROVAL_URL: url('http://127.0.0.1:3003'),
    DELIVERY_URL: url('http://127.0.0.1:3004'),
    CONSOLE_WEB_DIR: z.string().min(1).optional(),
    CONSOLE_DEV_SIGN_IN: z.enum(['true', 'false']).optional(),
    GRAFANA_URL: url('http://127.0.0.1:3300'),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && env.CONSOLE_DEV_SIGN_IN === 'true')
      context.addIssue({
        code: 'custom',
        path: ['CONSOLE_DEV_SIGN_IN'],
        message: 'development sign-in is refused with NODE_ENV=production',
      });
  });

export interface ConsoleConfig {
  readonly host: string;
  readonly port: number;
  readonly upstreams: Readonly<Record<'intake' | 'routing' | 'approval' | 'delivery', string>>;
  readonly webDir: string;
  readonly devSignIn: boolean;
  readonly grafanaUrl: string;
}

/** Validates the environment, throwing one error that names every offending variable. */
export function loadConsoleConfig(env: NodeJS.ProcessEnv, workspaceRoot: string): ConsoleConfig {
  const parsed = consoleEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `console configuration: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}`,
    );
  const value = parsed.data;
  return {
    host: value.HOST,
    port: value.PORT,
    upstreams: {
      intake: value.INTAKE_URL,
      routing: value.ROUTING_URL,
      approval: value.APPROVAL_URL,
      delivery: value.DELIVERY_URL,
    },
    webDir: value.CONSOLE_WEB_DIR ?? path.join(workspaceRoot, 'dist/apps/console/web'),
    devSignIn: value.NODE_ENV !== 'production' && (value.CONSOLE_DEV_SIGN_IN ?? 'true') === 'true',
    grafanaUrl: value.GRAFANA_URL,
  };
}
