import { serviceEnvSchema } from '@tongban/config';
import type { z } from 'zod';

export const routingConfigSchema = serviceEnvSchema('routing');

export type RoutingConfig = z.infer<typeof routingConfigSchema>;
