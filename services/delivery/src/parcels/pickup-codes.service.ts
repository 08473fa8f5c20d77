import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type Actor, ResilientThrottlerStorage } from '@tongban/auth';
import { PiiCipher } from '@tongban/pii';
import type { deliveryUpdatedV2 } from '@tongban/contracts';
import type { Queryable } from '@tongban/database';
import type { z } from 'zod';
import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-config';
import { DeliveryMetrics } from './delivery-metrics';
import type { ParcelRow } from './parcel-row';
import { ParcelStore } from './parcel-store';
import {
  checkAgentId,
  checkIdLast4,
  checkPickupCode,
  type CodeCheck,
  generatePickupCode,
  hashPickupCode,
} from './pickup-code';

export type Proof =
  | { readonly kind: 'pickup_code'; readonly code: string }
  | { readonly kind: 'id_last4'; readonly idLast4: string };

/** A pickup code as it travels in `delivery.updated` v2: sealed, with its expiry and issue number. */
export type SealedPickupCode = NonNullable<z.infer<typeof deliveryUpdatedV2.schema>['payload']['pickupCode']>;

const WINDOW_MS = 60_000;
const HOUR_MS = 3_600_000;
export const APPLICANT_TRIES_PER_HOUR = 10;

/**
 * Pickup codes: random, single-use, stored as a keyed hash, expiring, and guarded against
 * guessing twice over: wrong proofs are counted per parcel (locked after
 * DELIVERY_MAX_PROOF_FAILURES until staff issue a new code) and each staff member or courier
 * has a Redis-backed budget of checks per minute across all parcels.
 *
 * The applicant gets the code by text message: it is sealed into the `delivery.updated` event of
 * the parcel's transaction, and the notification service sends it. The code in clear exists only
 * in that message; it is never logged, returned by the API, stored or published unencrypted.
 */
@Injectable()
export class PickupCodes {
  constructor(
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly store: ParcelStore,
    private readonly cipher: PiiCipher,
    private readonly throttler: ResilientThrottlerStorage,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /**
   * A new code replaces any earlier one and clears the failure count. It leaves the transaction
   * only sealed (`SealedPickupCode`), for the `delivery.updated` event the caller writes with it,
   * from which the notification service texts it to the applicant.
   */
  async issue(db: Queryable, parcel: ParcelRow, now: Date): Promise<SealedPickupCode> {
    const code = generatePickupCode();
    const expiresAt = new Date(now.getTime() + this.settings.pickupCodeTtlMs);
    const hash = hashPickupCode(this.settings.hashKey, parcel.id, code);
    parcel.code_issues = await this.store.setCode(db, parcel.id, hash, expiresAt);
    parcel.code_hash = hash;
    parcel.code_expires_at = expiresAt;
    parcel.proof_failures = 0;
    return {
      code: { ciphertext: this.cipher.encrypt(code), masked: '*'.repeat(code.length) },
      expiresAt: expiresAt.toISOString(),
      issue: parcel.code_issues,
    };
  }

  /** Answers 429 when the caller has used up their checks for the minute. */
  async throttle(actor: Actor, channel: 'door' | 'window', proof: Proof['kind']): Promise<void> {
    const digest = createHash('sha256').update(actor.sub).digest('base64url');
    const record = await this.throttler.increment(
      `tongban:delivery:proof-checks:${digest}`,
      WINDOW_MS,
      this.settings.codeChecksPerMinute,
      WINDOW_MS,
      'proof-checks',
    );
    if (record.isBlocked) {
      this.metrics.proofChecks.inc({ channel, proof, result: 'throttled' });
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `at most ${this.settings.codeChecksPerMinute} proof checks per minute`,
          retryAfterSeconds: record.timeToBlockExpire,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /**
   * The applicant's own routes are public and proved by a parcel's number plus a phone ending
   * (10⁴ possibilities): at most APPLICANT_TRIES_PER_HOUR tries per parcel (its id, or the number
   * tried when it names none), right or wrong.
   */
  async throttleApplicant(key: string): Promise<void> {
    const digest = createHash('sha256').update(key).digest('base64url');
    const record = await this.throttler.increment(
      `tongban:delivery:applicant-proof:${digest}`,
      HOUR_MS,
      APPLICANT_TRIES_PER_HOUR,
      HOUR_MS,
      'applicant-proof',
    );
    if (record.isBlocked) {
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `at most ${APPLICANT_TRIES_PER_HOUR} tries per parcel and hour`,
          retryAfterSeconds: record.timeToBlockExpire,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /**
   * Checks the proof inside the parcel's locked transaction and records a failure on the parcel.
   * The caller commits, then refuses the request when the result is not 'ok', so the count holds.
   */
  async check(
    db: Queryable,
    parcel: ParcelRow,
    proof: Proof,
    channel: 'door' | 'window',
    now: Date,
  ): Promise<CodeCheck> {
    const max = this.settings.maxProofFailures;
    const result =
      proof.kind === 'pickup_code'
        ? checkPickupCode(
            { hash: parcel.code_hash, expiresAt: parcel.code_expires_at, failures: parcel.proof_failures },
            hashPickupCode(this.settings.hashKey, parcel.id, proof.code),
            now,
            max,
          )
        : checkIdLast4(parcel.id_number_masked, proof.idLast4, parcel.proof_failures, max);
    this.metrics.proofChecks.inc({ channel, proof: proof.kind, result });
    if (result === 'wrong') {
      await this.store.countProofFailure(db, parcel.id);
      parcel.proof_failures += 1;
    }
    if (result === 'ok' && proof.kind === 'pickup_code') {
      await this.store.consumeCode(db, parcel.id);
    }
    return result;
  }

  /**
   * 帮办代办: the ID number the agent shows at the window against the lookup hash of the agent's
   * ID number intake kept. A wrong one counts against the parcel like a wrong code (locked after
   * DELIVERY_MAX_PROOF_FAILURES), so an ID number cannot be guessed either; `no_code` when the
   * case has no agent with a kept ID number.
   */
  async checkAgent(db: Queryable, parcel: ParcelRow, idNumber: string): Promise<CodeCheck> {
    const result = checkAgentId(
      parcel.agent?.idNumberHash ?? null,
      this.cipher.hashResidentId(idNumber),
      parcel.proof_failures,
      this.settings.maxProofFailures,
    );
    this.metrics.proofChecks.inc({ channel: 'window', proof: 'agent_id', result });
    if (result === 'wrong') {
      await this.store.countProofFailure(db, parcel.id);
      parcel.proof_failures += 1;
    }
    return result;
  }

  /** The refusal of the agent's ID: 422 naming `agent.idNumber`, 423 once the parcel is locked. */
  agentRefusal(result: Exclude<CodeCheck, 'ok'>, parcel: ParcelRow): HttpException {
    if (result === 'locked' || result === 'expired') return this.refusal(result, parcel);
    const remaining = Math.max(this.settings.maxProofFailures - parcel.proof_failures, 0);
    const reason =
      result === 'no_code'
        ? 'the case was not brought by an agent (帮办代办) whose ID number was kept; the applicant collects'
        : `does not match the agent's ID number; ${remaining} attempt(s) left before the parcel is locked`;
    return new HttpException(
      {
        statusCode: HttpStatus.UNPROCESSABLE_ENTITY,
        error: 'Unprocessable Entity',
        message: `agent.idNumber: ${reason}`,
        issues: [{ field: 'agent.idNumber', reason }],
        reason: result === 'no_code' ? 'no_agent' : 'agent_id_wrong',
        remainingAttempts: remaining,
      },
      HttpStatus.UNPROCESSABLE_ENTITY,
    );
  }

  /** The refusal of a proof that did not pass: 422 with a machine-readable reason, 423 once locked. */
  refusal(result: Exclude<CodeCheck, 'ok'>, parcel: ParcelRow): HttpException {
    const remaining = Math.max(this.settings.maxProofFailures - parcel.proof_failures, 0);
    const messages: Record<Exclude<CodeCheck, 'ok'>, string> = {
      wrong: `the proof does not match; ${remaining} attempt(s) left before the parcel is locked`,
      expired: 'the pickup code has expired; office staff can send a new one',
      locked: 'too many wrong proofs: the parcel is locked until office staff send a new code',
      no_code: 'this proof is not available for the parcel',
    };
    const status = result === 'locked' ? HttpStatus.LOCKED : HttpStatus.UNPROCESSABLE_ENTITY;
    return new HttpException(
      {
        statusCode: status,
        error: result === 'locked' ? 'Locked' : 'Unprocessable Entity',
        message: messages[result],
        reason: result === 'no_code' ? 'proof_unavailable' : `proof_${result}`,
        remainingAttempts: remaining,
      },
      status,
    );
  }
}
