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

/**
 * Everything a service reads at boot: the common variables, authentication, and the service's
 * own variables, e.g. the PII keys of the services holding personal data.
 */
export function serviceConfigSchemaWith<Extra extends z.ZodRawShape>(service: ServiceName, extra: Extra) {
  return withAuthEnv(serviceEnvSchema(service).extend(extra)).refine(faultsAllowed, FAULTS_REFUSED);
}

/** The same for a service with no variables of its own. */
export function serviceConfigSchema(service: ServiceName) {
  return serviceConfigSchemaWith(service, {});
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
