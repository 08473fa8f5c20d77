import { serviceConfigSchema } from '@tongban/runtime';
import type { z } from 'zod';

export const routingConfigSchema = serviceConfigSchema('routing');

export type RoutingConfig = z.infer<typeof routingConfigSchema>;
