import { createHash } from 'node:crypto';
import { ConflictException } from '@nestjs/common';
import type { FieldIssue } from '@tongban/runtime';

export interface StoredAnswer<Body> {
  readonly caseId: string;
  readonly body: Body;
}

/** A stable hash of the request, so a key reused for a different request is refused. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

const KEY = /^[\w.:-]{8,128}$/;

/** The Idempotency-Key header's problems, reported in the same 400 as the body's. */
export function idempotencyKeyIssues(key: string | undefined): FieldIssue[] {
  return key === undefined || KEY.test(key)
    ? []
    : [{ field: 'Idempotency-Key', reason: 'must be 8-128 characters of letters, digits, _ . : -' }];
}

/**
 * The answer stored under an idempotency key for this request, or undefined for a fresh key.
 * Keys live in Postgres, written in the transaction that creates the case: an answered key and its
 * case can never disagree, even across a Redis or process failure. Keys are per caller.
 */
export function storedAnswer<Body>(
  row: { readonly request_hash: string; readonly case_id: string; readonly response: unknown } | undefined,
  hash: string,
): StoredAnswer<Body> | undefined {
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      message: 'Idempotency-Key: already used for a different request',
      issues: [{ field: 'Idempotency-Key', reason: 'already used for a different request' }],
    });
  }
  // The body this service stored under the key for the same request.
  return { caseId: row.case_id, body: row.response as Body };
}
