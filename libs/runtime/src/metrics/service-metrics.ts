import { Counter, Registry } from 'prom-client';

/**
 * Requests refused by validation, by the first segment of the offending field. Process-wide:
 * the validation pipe is created outside dependency injection.
 */
export const VALIDATION_METRICS = new Registry();

export const validationFailures = new Counter({
  name: 'tongban_validation_failures_total',
  help: 'HTTP requests answered 400 by validation, by field (first path segment)',
  labelNames: ['field'],
  registers: [VALIDATION_METRICS],
});

/** The service's own registry: its stage counters and histograms, plus process metrics. */
export const SERVICE_METRICS = Symbol('SERVICE_METRICS');
