import type { MigrationInterface, QueryRunner } from 'typeorm';

// The value lists as they were when this migration shipped, frozen: a later state needs its own
// migration, so new and migrated databases keep the same CHECK constraints.
const METHODS = `'courier', 'post', 'pickup'`;
const STATES = `'created', 'ready_for_dispatch', 'picked_up', 'out_for_delivery', 'delivered', 'delivery_failed',
  'rescheduled', 'posted', 'ready_for_pickup', 'collected', 'returned_to_window'`;
const FAILURE_REASONS = `'not_home', 'refused', 'wrong_address', 'unreachable_by_phone', 'identity_check_failed', 'other'`;

export class CreateParcels1764700000000 implements MigrationInterface {
  name = 'CreateParcels1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One parcel per decided case: a replayed or re-emitted case.decided finds it and stops.
    await queryRunner.query(`
      CREATE TABLE parcels (
        id                   uuid        PRIMARY KEY,
        case_id              uuid        NOT NULL UNIQUE,
        tracking_number      text        NOT NULL UNIQUE,
        kind                 text        NOT NULL CHECK (kind IN ('result', 'rejection_notice')),
        receipt_number       text        NOT NULL,
        item_code            text        NOT NULL,
        document_number      text,
        department_id        text        NOT NULL,
        accepting_office_id  text        NOT NULL,
        requested_method     text        NOT NULL CHECK (requested_method IN (${METHODS})),
        method               text        NOT NULL CHECK (method IN (${METHODS})),
        state                text        NOT NULL CHECK (state IN (${STATES})),
        office_id            text        NOT NULL,
        courier_id           text,
        custodian            text        NOT NULL,
        address              jsonb,
        recipient_name       text        NOT NULL,
        phone_ciphertext     text        NOT NULL,
        phone_masked         text        NOT NULL,
        id_number_masked     text,
        attempts             integer     NOT NULL DEFAULT 0,
        failure_reason       text        CHECK (failure_reason IN (${FAILURE_REASONS})),
        next_attempt_at      timestamptz,
        postal_tracking_number text,
        code_hash            text,
        code_expires_at      timestamptz,
        proof_failures       integer     NOT NULL DEFAULT 0,
        proof                jsonb,
        decided_at           timestamptz NOT NULL,
        created_at           timestamptz NOT NULL,
        state_at             timestamptz NOT NULL,
        at_window_since      timestamptz,
        completed_at         timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX parcels_courier_idx ON parcels (courier_id, state) WHERE courier_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX parcels_office_idx ON parcels (office_id, state)`);
    // Every state change of a parcel, in order: the parcel's own history.
    await queryRunner.query(`
      CREATE TABLE parcel_history (
        id              bigserial   PRIMARY KEY,
        parcel_id       uuid        NOT NULL REFERENCES parcels (id),
        action          text        NOT NULL,
        from_state      text,
        to_state        text        NOT NULL,
        method          text        NOT NULL,
        failure_reason  text,
        attempt         integer     NOT NULL,
        next_attempt_at timestamptz,
        actor_sub       text        NOT NULL,
        actor_role      text        NOT NULL,
        occurred_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX parcel_history_parcel_idx ON parcel_history (parcel_id, id)`);
    // 回执单: a courier's signed receipt for the parcels taken at an office in one pickup.
    await queryRunner.query(`
      CREATE TABLE courier_receipts (
        id             uuid        PRIMARY KEY,
        receipt_number text        NOT NULL UNIQUE,
        courier_id     text        NOT NULL,
        office_id      text        NOT NULL,
        signature_ref  text        NOT NULL,
        signed_by      text        NOT NULL,
        signed_at      timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE courier_receipt_parcels (
        receipt_id      uuid NOT NULL REFERENCES courier_receipts (id),
        parcel_id       uuid NOT NULL REFERENCES parcels (id),
        tracking_number text NOT NULL,
        PRIMARY KEY (receipt_id, parcel_id)
      )`);
    // Chain of custody: every change of hands, with who recorded it, when and where.
    await queryRunner.query(`
      CREATE TABLE custody_handoffs (
        id          bigserial   PRIMARY KEY,
        parcel_id   uuid        NOT NULL REFERENCES parcels (id),
        from_party  text        NOT NULL,
        to_party    text        NOT NULL,
        actor_sub   text        NOT NULL,
        actor_role  text        NOT NULL,
        place       text        NOT NULL,
        receipt_id  uuid        REFERENCES courier_receipts (id),
        occurred_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX custody_handoffs_parcel_idx ON custody_handoffs (parcel_id, id)`);
    // The chain of custody and the history are evidence: append-only, like the audit log.
    await queryRunner.query(`
      CREATE FUNCTION parcel_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    for (const table of ['custody_handoffs', 'parcel_history']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION parcel_records_refuse_change()`);
    }
    // Text messages for the SMS gateway to send (pickup codes). The body is encrypted like any
    // personal data: the code in clear is never stored, and the row is deleted once sent.
    await queryRunner.query(`
      CREATE TABLE sms_outbox (
        id                   bigserial   PRIMARY KEY,
        parcel_id            uuid        NOT NULL REFERENCES parcels (id),
        template             text        NOT NULL,
        recipient_ciphertext text        NOT NULL,
        body_ciphertext      text        NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sms_outbox',
      'custody_handoffs',
      'courier_receipt_parcels',
      'courier_receipts',
      'parcel_history',
      'parcels',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION parcel_records_refuse_change()`);
  }
}
