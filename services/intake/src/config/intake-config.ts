import { serviceConfigSchema } from '@tongban/runtime';
import type { z } from 'zod';

export const intakeConfigSchema = serviceConfigSchema('intake');

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;
