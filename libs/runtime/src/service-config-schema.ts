import { withAuthEnv } from '@tongban/auth';
import { serviceEnvSchema, type ServiceName } from '@tongban/config';
import type { z } from 'zod';

/** Everything a service reads at boot: the common variables plus authentication. */
export function serviceConfigSchema(service: ServiceName) {
  return withAuthEnv(serviceEnvSchema(service)).refine(
    (env) => env.NODE_ENV !== 'production' || env.FAULT_CRASH_AFTER_COMMIT === undefined,
    { message: 'fault injection is refused in production', path: ['FAULT_CRASH_AFTER_COMMIT'] },
  );
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
