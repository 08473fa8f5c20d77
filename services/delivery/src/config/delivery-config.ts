import { positiveInt } from '@tongban/config';
import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import type { z } from 'zod';

/**
 * Delivery decrypts the applicant's phone for the courier of a parcel and keys the pickup-code
 * hashes, so it needs the PII keys (the same ones as intake, which encrypted the values).
 */
export const deliveryConfigSchema = serviceConfigSchemaWith('delivery', {
  ...piiEnvSchema.shape,
  DELIVERY_MAX_FAILED_ATTEMPTS: positiveInt(3),
  DELIVERY_PICKUP_CODE_TTL_HOURS: positiveInt(336),
  DELIVERY_MAX_PROOF_FAILURES: positiveInt(5),
  DELIVERY_CODE_CHECKS_PER_MINUTE: positiveInt(20),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

/** The settings the parcel services read, as one injectable value. */
export interface DeliverySettings {
  readonly maxFailedAttempts: number;
  readonly pickupCodeTtlMs: number;
  readonly maxProofFailures: number;
  readonly codeChecksPerMinute: number;
  readonly hashKey: Buffer;
}

export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

export function deliverySettings(config: DeliveryConfig): DeliverySettings {
  return {
    maxFailedAttempts: config.DELIVERY_MAX_FAILED_ATTEMPTS,
    pickupCodeTtlMs: config.DELIVERY_PICKUP_CODE_TTL_HOURS * 3_600_000,
    maxProofFailures: config.DELIVERY_MAX_PROOF_FAILURES,
    codeChecksPerMinute: config.DELIVERY_CODE_CHECKS_PER_MINUTE,
    hashKey: config.PII_HASH_KEY,
  };
}
