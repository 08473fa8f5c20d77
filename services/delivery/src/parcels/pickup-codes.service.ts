import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type Actor, ResilientThrottlerStorage } from '@tongban/auth';
import { PiiCipher } from '@tongban/pii';
import type { Queryable } from '@tongban/database';
import { localDateOf } from '@tongban/reference-data';
import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-config';
import { DeliveryMetrics } from './delivery-metrics';
import type { ParcelRow } from './parcel-row';
import { ParcelStore } from './parcel-store';
import {
  checkIdLast4,
  checkPickupCode,
  type CodeCheck,
  generatePickupCode,
  hashPickupCode,
} from './pickup-code';

export type Proof =
  | { readonly kind: 'pickup_code'; readonly code: string }
  | { readonly kind: 'id_last4'; readonly idLast4: string };

export type SmsTemplate = 'door_delivery_code' | 'ready_for_pickup';

const WINDOW_MS = 60_000;
const HOUR_MS = 3_600_000;
export const APPLICANT_TRIES_PER_HOUR = 10;

/**
 * Pickup codes: random, single-use, stored as a keyed hash, expiring, and guarded against
 * guessing twice over: wrong proofs are counted per parcel (locked after
 * DELIVERY_MAX_PROOF_FAILURES until staff issue a new code) and each staff member or courier
 * has a Redis-backed budget of checks per minute across all parcels.
 *
 * The applicant gets the code by text message: it is written, encrypted, to `sms_outbox` in the
 * parcel's transaction, for the SMS gateway to send and delete. The code in clear exists only in
 * that message; it is never logged, returned by the API or stored unencrypted.
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

  /** A new code replaces any earlier one and clears the failure count; it is sent to the applicant. */
  async issue(db: Queryable, parcel: ParcelRow, template: SmsTemplate, now: Date): Promise<Date> {
    const code = generatePickupCode();
    const expiresAt = new Date(now.getTime() + this.settings.pickupCodeTtlMs);
    const hash = hashPickupCode(this.settings.hashKey, parcel.id, code);
    await this.store.setCode(db, parcel.id, hash, expiresAt);
    parcel.code_hash = hash;
    parcel.code_expires_at = expiresAt;
    parcel.proof_failures = 0;
    // The applicant reads the date in China time.
    const until = localDateOf(expiresAt);
    const body =
      template === 'door_delivery_code'
        ? `【通办通取】您的办件结果（运单号${parcel.tracking_number}）将派送上门，签收时请向投递员出示取件码${code}，${until}前有效。`
        : `【通办通取】您的办件结果（运单号${parcel.tracking_number}）已到${parcel.office_id}窗口，请凭取件码${code}领取，${until}前有效。`;
    await this.store.queueSms(db, {
      parcel_id: parcel.id,
      template,
      recipient_ciphertext: parcel.phone_ciphertext,
      body_ciphertext: this.cipher.encrypt(body),
    });
    return expiresAt;
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
   * The applicant's own routes are public and proved by a tracking number plus a phone ending
   * (10⁴ possibilities): at most APPLICANT_TRIES_PER_HOUR tries per tracking number, right or wrong.
   */
  async throttleApplicant(trackingNumber: string): Promise<void> {
    const digest = createHash('sha256').update(trackingNumber).digest('base64url');
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
