import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pickup codes now travel sealed in `delivery.updated` v2 to the notification service, which
 * sends the text messages: the unsent `sms_outbox` goes, and each parcel counts its codes so a
 * reissued code is a new message (the notification's round), not a duplicate of the first.
 * Applicants may name their parcel by receipt number, hence its index.
 */
export class PickupCodesTravelSealed1764900000000 implements MigrationInterface {
  name = 'PickupCodesTravelSealed1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE parcels ADD COLUMN code_issues integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`DROP TABLE sms_outbox`);
    // The applicant may name the parcel by the case's receipt number (switch to pickup).
    await queryRunner.query(`CREATE INDEX parcels_receipt_number_idx ON parcels (receipt_number)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX parcels_receipt_number_idx`);
    await queryRunner.query(`
      CREATE TABLE sms_outbox (
        id                   bigserial   PRIMARY KEY,
        parcel_id            uuid        NOT NULL REFERENCES parcels (id),
        template             text        NOT NULL,
        recipient_ciphertext text        NOT NULL,
        body_ciphertext      text        NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`ALTER TABLE parcels DROP COLUMN code_issues`);
  }
}
