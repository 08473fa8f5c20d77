import { z } from 'zod';

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const postgresUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(value), {
      message: 'must be a postgres:// URL with a database name, e.g. postgres://user@host:5432/db',
    });

export const redisUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => /^rediss?:\/\/.+/.test(value), {
      message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    });

/** A comma-separated list of host:port pairs, as Kafka clients take it. */
export const brokerList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[\w.-]+:\d{1,5}$/.test(b)), {
      message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092,127.0.0.1:9094',
    });

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
