import { existsSync, readFileSync } from 'node:fs';
import { SERVICE_NAMES } from '@tongban/config';
import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchema } from '@tongban/runtime';
import { smsEnvSchema } from '@tongban/sms';
import { parse } from 'yaml';
import { fromRoot } from './workspace-root';

interface ComposeService {
  image?: string;
  build?: { dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync(fromRoot('docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const oneShot = new Set(['kafka-init']);
// Images built from scratch, with no shell or client to probe themselves: started is all there is.
const noProbe = new Set(['otel-collector', 'tempo']);

describe('docker-compose.yml', () => {
  it('runs Kafka, Postgres, Redis and the services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['kafka', 'postgres', 'redis', ...SERVICE_NAMES]),
    );
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[\w./-]+:v?\d[\w.-]*$/),
      });
    }
  });

  it('gives every long-running container a healthcheck and waits for healthy dependencies', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!oneShot.has(name) && !noProbe.has(name))
        expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.anything() });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        const expected = oneShot.has(dependency)
          ? 'service_completed_successfully'
          : noProbe.has(dependency)
            ? 'service_started'
            : 'service_healthy';
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected });
      }
    }
  });

  it.each(SERVICE_NAMES)('configures %s with the same variable names as the local stack', (name) => {
    const service = services[name]!;
    // The PII keys belong to the services that hold personal data (intake, delivery, notification);
    // the SMS variables to the notification service.
    const known = [
      ...Object.keys(serviceConfigSchema(name).shape),
      ...Object.keys(piiEnvSchema.shape),
      ...(name === 'notification' ? Object.keys(smsEnvSchema.shape) : []),
      // The supervision service's own setting (services/supervision/src/config).
      ...(name === 'supervision' ? ['RECTIFICATION_WORKING_DAYS'] : []),
    ];
    const environment = service.environment ?? {};
    // OTEL_* are OpenTelemetry's own variables, read by its SDK rather than our schema.
    expect(
      Object.keys(environment).filter((key) => !known.includes(key) && !key.startsWith('OTEL_')),
    ).toEqual([]);
    expect(environment['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://otel-collector:4318');
    expect(environment).toMatchObject({
      DATABASE_URL: expect.stringMatching(new RegExp(`/tongban_${name}$`)),
      KAFKA_BROKERS: 'kafka:9092',
      REDIS_URL: expect.stringMatching(/^redis:\/\//),
      HOST: '0.0.0.0',
    });
    expect(service.build?.args?.['SERVICE']).toBe(name);
    expect(Object.keys(service.depends_on ?? {})).toEqual(
      expect.arrayContaining(['kafka', 'postgres', 'redis', 'kafka-init']),
    );
  });

  it('runs Prometheus, Grafana, the collector and Tempo with the files in deploy/', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['prometheus', 'grafana', 'otel-collector', 'tempo']),
    );
    const mounted = Object.values(services).flatMap((service) => service.volumes ?? []);
    for (const file of [
      'deploy/prometheus/prometheus.yml',
      'deploy/prometheus/alerts.yml',
      'deploy/grafana/provisioning',
      'deploy/grafana/dashboards',
      'deploy/otel/collector.yaml',
      'deploy/otel/tempo.yaml',
    ]) {
      expect(mounted.some((volume) => volume.startsWith(`./${file}:`))).toBe(true);
      expect(existsSync(fromRoot(file))).toBe(true);
    }
  });

  it('creates each database a service points at', () => {
    const init = readFileSync(fromRoot('deploy/docker/postgres-init.sql'), 'utf8');
    for (const name of SERVICE_NAMES) expect(init).toContain(`CREATE DATABASE tongban_${name};`);
  });
});
