import { withAuthEnv } from '@tongban/auth';
import { serviceEnvSchema, type ServiceName } from '@tongban/config';
import type { z } from 'zod';

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

/** Everything a service reads at boot: the common variables plus authentication. */
export function serviceConfigSchema(service: ServiceName) {
  return withAuthEnv(serviceEnvSchema(service)).refine(faultsAllowed, FAULTS_REFUSED);
}

/** The same with the service's own variables, e.g. the PII keys of services holding personal data. */
export function serviceConfigSchemaWith<Extra extends z.ZodRawShape>(service: ServiceName, extra: Extra) {
  return withAuthEnv(serviceEnvSchema(service).extend(extra)).refine(faultsAllowed, FAULTS_REFUSED);
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
