import { serviceConfigSchema } from '@tongban/runtime';
import type { z } from 'zod';

export const approvalConfigSchema = serviceConfigSchema('approval');

export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
