import { ConfigError, loadConfig } from '@tongban/config';
import { docsEnabled } from './bootstrap';
import { serviceConfigSchema } from './service-config-schema';

describe('service configuration: metrics port and OpenAPI pages', () => {
  const auth = {
    AUTH_JWT_ISSUER: 'https://idp.example/realms/tongban',
    AUTH_JWT_AUDIENCE: 'tongban',
    AUTH_JWKS_URL: 'https://idp.example/realms/tongban/certs',
  };

  const load = (env: Record<string, string>) =>
    loadConfig(serviceConfigSchema('approval'), { ...auth, ...env });

  it('serves metrics on a port of their own, 9103 for approval by default', () => {
    expect(load({})).toMatchObject({ PORT: 3003, METRICS_PORT: 9103 });
  });

  it('refuses a METRICS_PORT equal to PORT, naming the variable', () => {
    expect(() => load({ PORT: '3003', METRICS_PORT: '3003' })).toThrow(ConfigError);
    expect(() => load({ PORT: '3003', METRICS_PORT: '3003' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(load({ PORT: '0', METRICS_PORT: '0' })).toMatchObject({ PORT: 0, METRICS_PORT: 0 });
  });

  it('keeps the OpenAPI pages off in production unless DOCS_ENABLED=true', () => {
    expect(docsEnabled(load({ NODE_ENV: 'production' }))).toBe(false);
    expect(docsEnabled(load({ NODE_ENV: 'production', DOCS_ENABLED: 'true' }))).toBe(true);
    expect(docsEnabled(load({ NODE_ENV: 'development' }))).toBe(true);
    expect(docsEnabled(load({ NODE_ENV: 'development', DOCS_ENABLED: 'false' }))).toBe(false);
    expect(() => load({ DOCS_ENABLED: 'yes' })).toThrow(/DOCS_ENABLED: must be true or false/);
  });
});
