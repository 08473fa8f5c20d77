import { serviceEnvSchema } from '@tongban/config';
import type { z } from 'zod';

export const deliveryConfigSchema = serviceEnvSchema('delivery');

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;
