import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCases1764400000000 implements MigrationInterface {
  name = 'CreateCases1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cases (
        id                   uuid        PRIMARY KEY,
        receipt_number       text        NOT NULL UNIQUE,
        item_code            text        NOT NULL,
        office_id            text        NOT NULL,
        office_district      text        NOT NULL,
        applicant_kind       text        NOT NULL CHECK (applicant_kind IN ('person', 'company')),
        applicant_name       text        NOT NULL,
        id_number_ciphertext text,
        id_number_hash       text,
        id_number_masked     text,
        phone_ciphertext     text        NOT NULL,
        phone_hash           text        NOT NULL,
        phone_masked         text        NOT NULL,
        household_district   text,
        credit_code          text,
        registered_district  text,
        snapshot             jsonb       NOT NULL,
        status               text        NOT NULL,
        status_at            timestamptz NOT NULL,
        supplement_due_at    timestamptz,
        sla_due_at           timestamptz,
        submitted_by         text        NOT NULL,
        submitted_at         timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX cases_office_submitted_idx ON cases (office_id, submitted_at DESC, id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX cases_submitted_idx ON cases (submitted_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX cases_id_number_hash_idx ON cases (id_number_hash)`);
    await queryRunner.query(`CREATE INDEX cases_status_idx ON cases (status)`);
    // One row per office and day: the receipt number's sequence, allocated in the case's transaction.
    await queryRunner.query(`
      CREATE TABLE receipt_sequences (
        office_id text    NOT NULL,
        day       date    NOT NULL,
        last_seq  integer NOT NULL,
        PRIMARY KEY (office_id, day)
      )`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        actor_sub     text        NOT NULL,
        key           text        NOT NULL,
        request_hash  text        NOT NULL,
        case_id       uuid        NOT NULL,
        response      jsonb       NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_sub, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE case_timeline (
        id            bigserial   PRIMARY KEY,
        case_id       uuid        NOT NULL,
        event_id      uuid        NOT NULL UNIQUE,
        event_type    text        NOT NULL,
        stage         text        NOT NULL,
        occurred_at   timestamptz NOT NULL,
        office_id     text,
        department_id text,
        actor_role    text,
        detail        jsonb       NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE INDEX case_timeline_case_idx ON case_timeline (case_id, occurred_at, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE supplement_requests (
        request_id    uuid        PRIMARY KEY,
        case_id       uuid        NOT NULL,
        department_id text        NOT NULL,
        round         integer     NOT NULL,
        items         jsonb       NOT NULL,
        due_at        timestamptz,
        requested_at  timestamptz NOT NULL,
        answered_at   timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX supplement_requests_open_idx ON supplement_requests (case_id) WHERE answered_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE ratings (
        case_id    uuid        PRIMARY KEY,
        score      smallint    NOT NULL CHECK (score BETWEEN 1 AND 5),
        comment    text,
        tags       text[]      NOT NULL DEFAULT '{}',
        channel    text        NOT NULL,
        office_id  text        NOT NULL,
        rated_at   timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'ratings',
      'supplement_requests',
      'case_timeline',
      'idempotency_keys',
      'receipt_sequences',
      'cases',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
