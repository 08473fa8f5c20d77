import type { MigrationInterface, QueryRunner } from 'typeorm';

// The value lists as they were when this migration shipped, frozen.
const KINDS = `'accepted', 'supplement_requested', 'supplement_reminder', 'approved', 'rejected', 'door_code',
  'out_for_delivery', 'delivery_failed', 'ready_for_pickup', 'completed'`;
const STATUSES = `'queued', 'sent', 'delivered', 'failed', 'cancelled'`;

export class CreateNotifications1765000000000 implements MigrationInterface {
  name = 'CreateNotifications1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Whom to text for a case: the phone as it travels (ciphertext, lookup hash, mask), never clear.
    await queryRunner.query(`
      CREATE TABLE case_contacts (
        case_id          uuid        PRIMARY KEY,
        receipt_number   text        NOT NULL,
        item_code        text        NOT NULL,
        phone_ciphertext text        NOT NULL,
        phone_hash       text        NOT NULL,
        phone_masked     text        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX case_contacts_phone_idx ON case_contacts (phone_hash)`);
    // The notification store and its outbox: one row per (case, kind, round), so a replayed or
    // re-emitted event never queues a message twice. The filled template parameters (a pickup
    // code among them) are encrypted. A row waits until its case's contact is known.
    await queryRunner.query(`
      CREATE TABLE notifications (
        id                  uuid        PRIMARY KEY,
        case_id             uuid        NOT NULL,
        kind                text        NOT NULL CHECK (kind IN (${KINDS})),
        round               integer     NOT NULL CHECK (round > 0),
        template_id         text        NOT NULL,
        template_version    integer     NOT NULL,
        params_ciphertext   text        NOT NULL,
        status              text        NOT NULL CHECK (status IN (${STATUSES})),
        attempts            integer     NOT NULL DEFAULT 0,
        due_at              timestamptz NOT NULL,
        last_error          text,
        provider            text,
        provider_message_id text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        sent_at             timestamptz,
        delivered_at        timestamptz,
        failed_at           timestamptz,
        UNIQUE (case_id, kind, round)
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_due_idx ON notifications (due_at) WHERE status = 'queued'`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_provider_message_idx ON notifications (provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX notifications_sent_idx ON notifications (case_id, sent_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP TABLE case_contacts`);
  }
}
