import { ConfigError, loadConfig } from './load-config';
import { serviceEnvSchema } from './service-env.schema';

describe('loadConfig', () => {
  const schema = serviceEnvSchema('routing');

  it('applies the per-service defaults for a local machine', () => {
    const config = loadConfig(schema, {});
    expect(config.PORT).toBe(3002);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/tongban_routing');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.KAFKA_GROUP_ID).toBe('tongban-routing');
  });

  it('splits a broker list and coerces numbers', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'a:9092, b:9094', PORT: '8080' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9094']);
    expect(config.PORT).toBe(8080);
  });

  it('names every bad variable and the value it got', () => {
    expect.assertions(4);
    try {
      loadConfig(schema, { PORT: 'eighty', KAFKA_BROKERS: 'no-port-here', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
      expect(message).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
      expect(message).toMatch(/LOG_LEVEL: /);
    }
  });

  it('never echoes a password from a URL', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://u:hunter2@h/db' })).toThrow(
      /DATABASE_URL: .*\(got "mysql:\/\/u:\*\*\*@h\/db"\)/,
    );
  });
});
