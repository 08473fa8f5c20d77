import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import type { z } from 'zod';

// Intake encrypts the applicants' ID and phone numbers, so it needs the PII keys.
export const intakeConfigSchema = serviceConfigSchemaWith('intake', piiEnvSchema.shape);

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;
