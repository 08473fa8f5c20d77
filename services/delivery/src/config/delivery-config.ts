import { serviceConfigSchema } from '@tongban/runtime';
import type { z } from 'zod';

export const deliveryConfigSchema = serviceConfigSchema('delivery');

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;
