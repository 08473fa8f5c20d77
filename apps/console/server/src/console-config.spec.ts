import { loadConsoleConfig } from './console-config';

describe('console configuration', () => {
  it('offers the development sign-in outside production, with the local service ports', () => {
    const config = loadConsoleConfig({}, '/repo');
    expect(config.devSignIn).toBe(true);
    expect(config.upstreams).toEqual({
      intake: 'http://127.0.0.1:3001',
      routing: 'http://127.0.0.1:3002',
      approval: 'http://127.0.0.1:3003',
      delivery: 'http://127.0.0.1:3004',
    });
    expect(config.webDir).toBe('/repo/dist/apps/console/web');
  });

  it('never offers it in production', () => {
    expect(loadConsoleConfig({ NODE_ENV: 'production' }, '/repo').devSignIn).toBe(false);
  });

  it('refuses to start when production is asked for it, naming the variable', () => {
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', CONSOLE_DEV_SIGN_IN: 'true' }, '/repo')).toThrow(
      /CONSOLE_DEV_SIGN_IN: development sign-in is refused with NODE_ENV=production/,
    );
  });

  it('names a service address that is not a URL', () => {
    expect(() => loadConsoleConfig({ APPROVAL_URL: 'approval:3003' }, '/repo')).toThrow(/APPROVAL_URL/);
  });
});
