import { BadRequestException } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { validationFailures } from '../metrics/service-metrics';

export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

/** The 400 body of every invalid request: one entry per offending field, machine-readable. */
export function invalidRequest(issues: readonly FieldIssue[]): BadRequestException {
  for (const field of new Set(issues.map((issue) => issue.field.split('.')[0] ?? issue.field))) {
    validationFailures.inc({ field });
  }
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '),
    issues,
  });
}

/**
 * Validates every DTO made with `createZodDto`, so handlers only ever see parsed input and a bad
 * request changes nothing.
 */
export const ValidationPipe = createZodValidationPipe({
  createValidationException: (error: unknown) =>
    invalidRequest(
      (error as ZodError).issues.map((issue) => ({
        field: issue.path.join('.') || '(body)',
        reason: issue.message,
      })),
    ),
});
