import { serviceEnvSchema } from '@tongban/config';
import type { z } from 'zod';

export const intakeConfigSchema = serviceEnvSchema('intake');

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;
