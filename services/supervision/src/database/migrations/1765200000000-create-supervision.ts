import type { MigrationInterface, QueryRunner } from 'typeorm';

// The value lists as they were when this migration shipped, frozen.
const STAGES = `'acceptance', 'decision', 'handover'`;
const LEVELS = `'very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'`;
const CHANNELS = `'window', 'sms', 'app', 'phone'`;
const RECTIFICATION_STATES = `'open', 'visited', 'rectifying', 'appealed', 'rectified', 'explained', 'withdrawn'`;

export class CreateSupervision1765200000000 implements MigrationInterface {
  name = 'CreateSupervision1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per case, filled by whichever of its events arrives (topics are not ordered with
    // each other), so every column but the key may still be unknown.
    await queryRunner.query(`
      CREATE TABLE case_facts (
        case_id                uuid        PRIMARY KEY,
        receipt_number         text,
        item_code              text,
        accepting_office_id    text,
        accepting_district     text,
        phone_last4            text,
        accepted_at            timestamptz,
        accepted_by            text,
        rongque                boolean,
        rongque_completed_at   timestamptz,
        department_id          text,
        competent_district     text,
        cross_district         boolean,
        legal_first_due_at     timestamptz,
        legal_due_at           timestamptz,
        supplement_rounds      integer     NOT NULL DEFAULT 0,
        decided_at             timestamptz,
        outcome                text,
        decision_origin        text,
        decided_by             text,
        decision_department_id text,
        decision_working_days  integer,
        promised_due_at        timestamptz,
        handed_over_at         timestamptz,
        handed_over_by         text,
        handover_role          text,
        handover_office_id     text,
        handover_courier_id    text,
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX case_facts_accepted_idx ON case_facts (accepted_at)`);
    await queryRunner.query(`CREATE INDEX case_facts_receipt_idx ON case_facts (receipt_number)`);
    // 好差评: one rating per case and stage, against the stage's office, department and staff member.
    await queryRunner.query(`
      CREATE TABLE ratings (
        id            uuid        PRIMARY KEY,
        case_id       uuid        NOT NULL,
        stage         text        NOT NULL CHECK (stage IN (${STAGES})),
        level         text        NOT NULL CHECK (level IN (${LEVELS})),
        comment       text,
        channel       text        NOT NULL CHECK (channel IN (${CHANNELS})),
        item_code     text        NOT NULL,
        office_id     text        NOT NULL,
        district      text        NOT NULL,
        department_id text,
        staff_sub     text,
        staff_role    text        NOT NULL,
        courier_id    text,
        rated_at      timestamptz NOT NULL,
        withdrawn_at  timestamptz,
        UNIQUE (case_id, stage)
      )`);
    await queryRunner.query(`CREATE INDEX ratings_rated_idx ON ratings (rated_at)`);
    // 差评整改: owned by whoever handled the rated stage (谁办理、谁负责).
    await queryRunner.query(`
      CREATE TABLE rectifications (
        id                 uuid        PRIMARY KEY,
        rating_id          uuid        NOT NULL UNIQUE REFERENCES ratings (id),
        case_id            uuid        NOT NULL,
        stage              text        NOT NULL CHECK (stage IN (${STAGES})),
        state              text        NOT NULL CHECK (state IN (${RECTIFICATION_STATES})),
        office_id          text        NOT NULL,
        department_id      text,
        courier_id         text,
        owner_sub          text,
        owner_role         text        NOT NULL,
        opened_at          timestamptz NOT NULL,
        due_at             timestamptz NOT NULL,
        visited_at         timestamptz,
        visit_note         text,
        verified_at        timestamptz,
        verification_note  text,
        rectified_at       timestamptz,
        rectification      text,
        rectification_note text,
        appealed_at        timestamptz,
        appeal_reason      text,
        appeal_decision    text,
        appeal_decided_at  timestamptz,
        appeal_decided_by  text,
        appeal_note        text,
        closed_at          timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX rectifications_open_idx ON rectifications (due_at) WHERE closed_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rectifications`);
    await queryRunner.query(`DROP TABLE ratings`);
    await queryRunner.query(`DROP TABLE case_facts`);
  }
}
