import { z } from 'zod';
import { brokerList, logLevel, port, positiveInt, postgresUrl, redisUrl } from './env-types';

export const SERVICE_NAMES = [
  'intake',
  'routing',
  'approval',
  'delivery',
  'notification',
  'supervision',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = Object.freeze({
  intake: 3001,
  routing: 3002,
  approval: 3003,
  delivery: 3004,
  notification: 3005,
  supervision: 3006,
});

/** Each service's Prometheus scrape port, apart from its API port (see MetricsServer). */
export const DEFAULT_METRICS_PORTS: Readonly<Record<ServiceName, number>> = Object.freeze({
  intake: 9101,
  routing: 9102,
  approval: 9103,
  delivery: 9104,
  notification: 9105,
  supervision: 9106,
});

/**
 * The variables every service reads. Services extend this schema with their own; the names are
 * the same in deploy/local, docker-compose.yml and the configuration table of docs/operations.md.
 */
export function serviceEnvSchema(service: ServiceName) {
  return z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port(DEFAULT_PORTS[service]),
    METRICS_PORT: port(DEFAULT_METRICS_PORTS[service]),
    // Unset: the OpenAPI page is served except in production, where it would map the API for anyone.
    DOCS_ENABLED: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional(),
    DATABASE_URL: postgresUrl(`postgres://postgres@127.0.0.1:5432/tongban_${service}`),
    DATABASE_POOL_SIZE: positiveInt(10),
    KAFKA_BROKERS: brokerList('127.0.0.1:9092'),
    KAFKA_CLIENT_ID: z.string().min(1).default(`tongban-${service}`),
    KAFKA_GROUP_ID: z.string().min(1).default(`tongban-${service}`),
    // With 1, one instance handled a message at a time and the pipeline stalled at ~54 cases/s (bench/results/2026-11-24.md).
    KAFKA_CONSUMER_CONCURRENCY: positiveInt(4),
    REDIS_URL: redisUrl('redis://127.0.0.1:6379'),
    LOG_LEVEL: logLevel,
    HEALTH_TIMEOUT_MS: positiveInt(1500),
    SHUTDOWN_TIMEOUT_MS: positiveInt(20000),
    OUTBOX_BATCH_SIZE: positiveInt(1000),
    OUTBOX_FALLBACK_POLL_MS: positiveInt(2000),
    OUTBOX_RETENTION_HOURS: positiveInt(72),
    // Above the topics' retention (168 h locally): a replayable event must still find its record.
    PROCESSED_EVENTS_RETENTION_HOURS: positiveInt(336),
    CONSUMER_MAX_ATTEMPTS: positiveInt(5),
    CONSUMER_RETRY_INITIAL_MS: positiveInt(200),
    CONSUMER_RETRY_MAX_MS: positiveInt(5000),
    // A directory of reference data files replacing the bundled ones (libs/reference-data).
    REFERENCE_DATA_DIR: z.string().min(1).optional(),
    // A test hook (docs/operations.md, "Configuration"): refused in production by serviceConfigSchema.
    FAULT_CRASH_AFTER_COMMIT: z.string().min(1).optional(),
  });
}

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnvSchema>>;
