import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig, serviceEnvSchema } from '@tongban/config';
import { authEnvSchema, withAuthEnv } from './auth-env.schema';
import { authModuleOptions } from './auth.module';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const base = { AUTH_JWT_ISSUER: 'https://idp.example/realms/staff', AUTH_JWT_AUDIENCE: 'tongban' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(authEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('authEnvSchema', () => {
  it('reads a PEM key and applies the defaults', () => {
    const env = loadConfig(authEnvSchema, { ...base, AUTH_JWT_PUBLIC_KEY: PUBLIC_PEM });
    expect(env).toMatchObject({
      AUTH_JWT_AUDIENCE: ['tongban'],
      AUTH_JWT_ALGORITHMS: ['RS256', 'ES256'],
      AUTH_JWT_PUBLIC_KEY: [PUBLIC_PEM.trim()],
      AUTH_JWT_CLOCK_TOLERANCE_SECONDS: 30,
      AUTH_RATE_LIMIT_MAX_REQUESTS: 600,
      AUTH_RATE_LIMIT_WINDOW_MS: 60000,
      AUTH_RATE_LIMIT_REDIS_TIMEOUT_MS: 150,
    });
    expect(env.AUTH_JWKS_URL).toBeUndefined();
  });

  it('reads a PEM written on one line with \\n escapes, and several keys', () => {
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const secondPem = second.export({ type: 'spki', format: 'pem' }).toString();
    const oneLine = `${PUBLIC_PEM}${secondPem}`.replace(/\n/g, '\\n');
    const env = loadConfig(authEnvSchema, { ...base, AUTH_JWT_PUBLIC_KEY: oneLine });
    expect(env.AUTH_JWT_PUBLIC_KEY).toEqual([PUBLIC_PEM.trim(), secondPem.trim()]);
  });

  it('reads a JWKS URL instead of a key', () => {
    const env = loadConfig(authEnvSchema, {
      ...base,
      AUTH_JWKS_URL: 'https://idp.example/realms/staff/protocol/openid-connect/certs',
    });
    expect(env.AUTH_JWT_PUBLIC_KEY).toBeUndefined();
    expect(authModuleOptions(env, { redisUrl: 'redis://127.0.0.1:6379', name: 'intake' })).toEqual({
      jwt: {
        issuer: base.AUTH_JWT_ISSUER,
        audience: ['tongban'],
        algorithms: ['RS256', 'ES256'],
        clockToleranceSeconds: 30,
        maxLifetimeSeconds: 43200,
        jwksUrl: 'https://idp.example/realms/staff/protocol/openid-connect/certs',
      },
      rateLimit: {
        redisUrl: 'redis://127.0.0.1:6379',
        keyPrefix: 'tongban:intake',
        limit: 600,
        anonymousLimit: 60,
        windowMs: 60000,
        redisTimeoutMs: 150,
      },
    });
  });

  it('requires exactly one of a key and a JWKS URL, naming both', () => {
    expect(problems(base)).toMatch(
      /AUTH_JWT_PUBLIC_KEY: required: set AUTH_JWT_PUBLIC_KEY \(PEM public key\) or AUTH_JWKS_URL/,
    );
    expect(problems({ ...base, AUTH_JWT_PUBLIC_KEY: '  ', AUTH_JWKS_URL: '' })).toMatch(/required: set/);
    expect(
      problems({ ...base, AUTH_JWT_PUBLIC_KEY: PUBLIC_PEM, AUTH_JWKS_URL: 'https://idp.example/certs' }),
    ).toMatch(/AUTH_JWKS_URL: set only one of AUTH_JWT_PUBLIC_KEY and AUTH_JWKS_URL, not both/);
  });

  it('refuses "none" and HS* algorithms', () => {
    for (const algorithms of ['none', 'HS256', 'RS256,HS512']) {
      expect(problems({ ...base, AUTH_JWT_PUBLIC_KEY: PUBLIC_PEM, AUTH_JWT_ALGORITHMS: algorithms })).toMatch(
        /AUTH_JWT_ALGORITHMS: must list only asymmetric algorithms .*"none" and HS\* are refused/,
      );
    }
  });

  it('refuses a private key, and never echoes it', () => {
    const message = problems({ ...base, AUTH_JWT_PUBLIC_KEY: PRIVATE_PEM });
    expect(message).toMatch(/AUTH_JWT_PUBLIC_KEY: PEM block 1 is a private key; give the public key only/);
    expect(message).not.toContain(PRIVATE_PEM.split('\n')[1]);
  });

  it('refuses text that holds no key, and a damaged key', () => {
    expect(problems({ ...base, AUTH_JWT_PUBLIC_KEY: 'ssh-ed25519 AAAA' })).toMatch(
      /AUTH_JWT_PUBLIC_KEY: must hold one or more PEM public keys/,
    );
    const damaged = PUBLIC_PEM.replace(/\n[A-Za-z0-9+/]{8}/, '\n!!!!!!!!');
    expect(problems({ ...base, AUTH_JWT_PUBLIC_KEY: damaged })).toMatch(
      /PEM block 1 is not a readable public key/,
    );
  });

  it('wants an https JWKS URL except on the local machine', () => {
    expect(problems({ ...base, AUTH_JWKS_URL: 'http://idp.example/certs' })).toMatch(
      /AUTH_JWKS_URL: must be an https:\/\/ URL/,
    );
    expect(
      loadConfig(authEnvSchema, { ...base, AUTH_JWKS_URL: 'http://127.0.0.1:8080/certs' }),
    ).toBeDefined();
  });

  it('reports every problem at once, the missing key among them', () => {
    const message = problems({ AUTH_JWT_ALGORITHMS: 'none', AUTH_RATE_LIMIT_MAX_REQUESTS: 'lots' });
    expect(message).toMatch(/AUTH_JWT_ISSUER: required: the "iss" claim/);
    expect(message).toMatch(/AUTH_JWT_AUDIENCE: required: the "aud" value/);
    expect(message).toMatch(/AUTH_JWT_ALGORITHMS: must list only asymmetric algorithms/);
    expect(message).toMatch(/AUTH_RATE_LIMIT_MAX_REQUESTS: /);
    expect(message).toMatch(/AUTH_JWT_PUBLIC_KEY: required: set AUTH_JWT_PUBLIC_KEY/);
  });

  it('extends a service schema, keeping both sets of variables and the key rule', () => {
    const schema = withAuthEnv(serviceEnvSchema('intake'));
    const env = loadConfig(schema, { ...base, AUTH_JWT_PUBLIC_KEY: PUBLIC_PEM, PORT: '8080' });
    expect(env.PORT).toBe(8080);
    expect(env.AUTH_JWT_ISSUER).toBe(base.AUTH_JWT_ISSUER);
    expect(() => loadConfig(schema, base)).toThrow(/AUTH_JWT_PUBLIC_KEY: required/);
  });
});
