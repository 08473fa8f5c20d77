import { withAuthEnv } from '@tongban/auth';
import { serviceEnvSchema, type ServiceName } from '@tongban/config';
import type { z } from 'zod';

interface PortSettings {
  readonly PORT?: number;
  readonly METRICS_PORT?: number;
}

const METRICS_PORT_CLASH = {
  message: 'must differ from PORT: the metrics are served apart from the API',
  path: ['METRICS_PORT'],
};

// Port 0 asks the system for a free port, so two zeros never clash.
function metricsPortApart(env: unknown): boolean {
  const { PORT, METRICS_PORT } = env as PortSettings;
  return PORT === 0 || PORT !== METRICS_PORT;
}

interface FaultSettings {
  readonly NODE_ENV?: string;
  readonly FAULT_CRASH_AFTER_COMMIT?: string;
}

const FAULTS_REFUSED = {
  message: 'fault injection is refused in production',
  path: ['FAULT_CRASH_AFTER_COMMIT'],
};

// Typed loosely on purpose: it runs on every service's schema, whatever variables it adds.
function faultsAllowed(env: unknown): boolean {
  const { NODE_ENV, FAULT_CRASH_AFTER_COMMIT } = env as FaultSettings;
  return NODE_ENV !== 'production' || FAULT_CRASH_AFTER_COMMIT === undefined;
}

/**
 * Everything a service reads at boot: the common variables, authentication, and the service's
 * own variables, e.g. the PII keys of the services holding personal data.
 */
export function serviceConfigSchemaWith<Extra extends z.ZodRawShape>(service: ServiceName, extra: Extra) {
  return withAuthEnv(serviceEnvSchema(service).extend(extra))
    .refine(faultsAllowed, FAULTS_REFUSED)
    .refine(metricsPortApart, METRICS_PORT_CLASH);
}

/** The same for a service with no variables of its own. */
export function serviceConfigSchema(service: ServiceName) {
  return serviceConfigSchemaWith(service, {});
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
