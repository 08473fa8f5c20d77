import { serviceEnvSchema } from '@tongban/config';
import type { z } from 'zod';

export const approvalConfigSchema = serviceEnvSchema('approval');

export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
