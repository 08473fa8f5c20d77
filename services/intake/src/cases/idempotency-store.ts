import { createHash } from 'node:crypto';
import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface StoredAnswer<Body> {
  readonly caseId: string;
  readonly body: Body;
}

/** A stable hash of the request, so a key reused for a different request is refused. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

const KEY = /^[\w.:-]{8,128}$/;

export function assertIdempotencyKey(key: string): void {
  if (!KEY.test(key)) {
    throw new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Idempotency-Key: must be 8-128 characters of letters, digits, _ . : -',
      issues: [{ field: 'Idempotency-Key', reason: 'must be 8-128 characters of letters, digits, _ . : -' }],
    });
  }
}

/**
 * Idempotency keys live in Postgres, in the transaction that creates the case: an answered key
 * and its case can never disagree, even across a Redis or process failure. Keys are per caller.
 */
export async function findAnswer<Body>(
  manager: EntityManager,
  actorSub: string,
  key: string,
  hash: string,
): Promise<StoredAnswer<Body> | undefined> {
  const [row] = (await manager.query(
    'SELECT request_hash, case_id, response FROM idempotency_keys WHERE actor_sub = $1 AND key = $2',
    [actorSub, key],
  )) as { request_hash: string; case_id: string; response: Body }[];
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      message: 'Idempotency-Key: already used for a different request',
      issues: [{ field: 'Idempotency-Key', reason: 'already used for a different request' }],
    });
  }
  return { caseId: row.case_id, body: row.response };
}

/** Records the answer; a concurrent request with the same key blocks here until this commits. */
export async function storeAnswer(
  manager: EntityManager,
  actorSub: string,
  key: string,
  hash: string,
  answer: StoredAnswer<unknown>,
): Promise<void> {
  await manager.query(
    `INSERT INTO idempotency_keys (actor_sub, key, request_hash, case_id, response) VALUES ($1, $2, $3, $4, $5)`,
    [actorSub, key, hash, answer.caseId, JSON.stringify(answer.body)],
  );
}
