import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

/**
 * Signature algorithms a service may accept. Only asymmetric ones: the services hold public keys,
 * and an HS* algorithm would let anyone who has the public key forge tokens with it as the
 * shared secret; "none" would accept unsigned tokens.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type JwtAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export const DEFAULT_JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'ES256'];

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Splits PEM text (one or more keys or certificates, e.g. during a key rotation) into blocks. */
export function pemBlocks(text: string): string[] {
  // Environment files and orchestrators often carry a PEM on one line with literal "\n".
  return [...text.replace(/\\n/g, '\n').matchAll(PEM_BLOCK)].map(([block]) => block);
}

const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const required = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `required: ${what}` : `must be ${what}`,
});

const commaList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

const publicKeys = z.string().transform((text, context) => {
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    context.addIssue({
      code: 'custom',
      message: 'must hold one or more PEM public keys ("-----BEGIN PUBLIC KEY-----") or certificates',
    });
    return z.NEVER;
  }
  blocks.forEach((block, index) => {
    if (/PRIVATE KEY-----/.test(block)) {
      context.addIssue({
        code: 'custom',
        message: `PEM block ${index + 1} is a private key; give the public key only and keep the private key secret`,
      });
      return;
    }
    try {
      createPublicKey(block);
    } catch {
      context.addIssue({ code: 'custom', message: `PEM block ${index + 1} is not a readable public key` });
    }
  });
  return blocks;
});

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const jwksUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    } catch {
      return false;
    }
  },
  { message: 'must be an https:// URL of the identity provider JWKS endpoint (http:// only for localhost)' },
);

/**
 * The authentication variables, as a zod shape to merge into a service's environment schema
 * (see `withAuthEnv`). Exactly one of AUTH_JWT_PUBLIC_KEY and AUTH_JWKS_URL must be set; that
 * rule lives on the object, so use `withAuthEnv` or `authEnvSchema` rather than the bare shape.
 */
export const authEnvShape = {
  AUTH_JWT_ISSUER: z.string(required('the "iss" claim the identity provider puts in tokens')).min(1),
  AUTH_JWT_AUDIENCE: z
    .string(required('the "aud" value (or comma-separated values) tokens for this system carry'))
    .transform(commaList)
    .refine((audiences) => audiences.length > 0, { message: 'must name at least one audience' }),
  AUTH_JWT_ALGORITHMS: z
    .string()
    .default(DEFAULT_JWT_ALGORITHMS.join(','))
    .transform(commaList)
    .refine((algorithms) => algorithms.length > 0, { message: 'must list at least one algorithm' })
    .refine(
      (algorithms) => algorithms.every((alg) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)),
      {
        message: `must list only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}); "none" and HS* are refused`,
      },
    )
    .transform((algorithms) => algorithms as JwtAlgorithm[]),
  AUTH_JWT_PUBLIC_KEY: z.preprocess(blankAsUnset, publicKeys.optional()),
  AUTH_JWKS_URL: z.preprocess(blankAsUnset, jwksUrl.optional()),
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  // A working day and then some: staff tokens are renewed by the identity provider, not minted for years.
  AUTH_JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60 seconds')
    .max(7 * 24 * 3600, 'must be at most 604800 seconds (7 days)')
    .default(12 * 3600),
  AUTH_RATE_LIMIT_MAX_REQUESTS: z.coerce.number().int().positive().default(600),
  // Per IP on the public routes (tracking, rating, switch to pickup), apart from the staff budget.
  AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS: z.coerce.number().int().positive().default(60),
  AUTH_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60000),
  AUTH_RATE_LIMIT_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(150),
};

function requireOneKeySource(
  env: { AUTH_JWT_PUBLIC_KEY?: unknown; AUTH_JWKS_URL?: unknown },
  context: z.RefinementCtx,
): void {
  const hasKey = blankAsUnset(env.AUTH_JWT_PUBLIC_KEY) !== undefined;
  const hasUrl = blankAsUnset(env.AUTH_JWKS_URL) !== undefined;
  if (hasKey && hasUrl) {
    context.addIssue({
      code: 'custom',
      path: ['AUTH_JWKS_URL'],
      message: 'set only one of AUTH_JWT_PUBLIC_KEY and AUTH_JWKS_URL, not both',
    });
  } else if (!hasKey && !hasUrl) {
    context.addIssue({
      code: 'custom',
      path: ['AUTH_JWT_PUBLIC_KEY'],
      message:
        'required: set AUTH_JWT_PUBLIC_KEY (PEM public key) or AUTH_JWKS_URL (the identity provider JWKS endpoint)',
    });
  }
}

// The rule reads raw presence, so it runs even when another variable failed and every problem
// is reported in one go.
const always = { when: () => true };

/** Adds the authentication variables to a service's environment schema. */
export function withAuthEnv<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return schema.extend(authEnvShape).superRefine(requireOneKeySource, always);
}

export const authEnvSchema = z.object(authEnvShape).superRefine(requireOneKeySource, always);

export type AuthEnv = z.infer<typeof authEnvSchema>;
