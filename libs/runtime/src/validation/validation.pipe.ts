import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { validationFailures } from '../metrics/service-metrics';
import { unstorableTextIssues } from './input-text';

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

/** A zod error as field issues, for a route that adds its own (a header) to one 400. */
export function fieldIssuesOf(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', reason: issue.message }));
}

const ZodPipe = createZodValidationPipe({
  createValidationException: (error: unknown) => invalidRequest(fieldIssuesOf(error as ZodError)),
});

/**
 * Validates every DTO made with `createZodDto`, so handlers only ever see parsed input and a bad
 * request changes nothing. Before the DTO, every string of the body, query and path parameters
 * (DTO or not, e.g. a bare `@Param('id')`) must be storable text: one check for every route, so a
 * route that forgets a building block still answers 400 and never a database error.
 */
@Injectable()
export class ValidationPipe implements PipeTransform {
  private readonly zod = new ZodPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const issues = unstorableTextIssues(value, metadata.data ? [metadata.data] : []);
      if (issues.length > 0) throw invalidRequest(issues);
    }
    return this.zod.transform(value, metadata);
  }
}
