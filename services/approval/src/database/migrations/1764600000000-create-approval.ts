import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApproval1764600000000 implements MigrationInterface {
  name = 'CreateApproval1764600000000';
  // Shipped as CreateApproval1764500000000, the timestamp of routing's first migration; databases
  // that recorded that name have this schema already (libs/database renames the record).
  readonly replaces = 'CreateApproval1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per routed case: the snapshot, the case's SLA clock and, once made, the decision.
    // Every transaction that changes a case or its work items locks this row first.
    await queryRunner.query(`
      CREATE TABLE approval_cases (
        case_id             uuid             PRIMARY KEY,
        routing_id          uuid             NOT NULL,
        item_code           text             NOT NULL,
        receipt_number      text             NOT NULL,
        snapshot            jsonb            NOT NULL,
        state               text             NOT NULL
                            CHECK (state IN ('in_review', 'approved', 'rejected', 'withdrawn')),
        clock_department_id text             NOT NULL,
        time_limit_days     integer          NOT NULL,
        clock_started_at    timestamptz      NOT NULL,
        due_at              timestamptz      NOT NULL,
        budget_seconds      double precision NOT NULL,
        warn_at             timestamptz,
        paused_at           timestamptz,
        remaining_seconds   double precision,
        supplement_round    integer          NOT NULL DEFAULT 0,
        outcome             text             CHECK (outcome IN ('approved', 'rejected')),
        origin              text             CHECK (origin IN ('reviewer', 'auto', 'system')),
        decided_at          timestamptz,
        result_document     jsonb,
        auto_checks         jsonb,
        version             integer          NOT NULL DEFAULT 1,
        created_at          timestamptz      NOT NULL DEFAULT now(),
        updated_at          timestamptz      NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE work_items (
        id               uuid        PRIMARY KEY,
        case_id          uuid        NOT NULL REFERENCES approval_cases (case_id),
        routing_id       uuid        NOT NULL,
        department_id    text        NOT NULL,
        district_code    text        NOT NULL,
        role             text        NOT NULL CHECK (role IN ('primary', 'parallel')),
        item_code        text        NOT NULL,
        receipt_number   text        NOT NULL,
        state            text        NOT NULL
                         CHECK (state IN ('open', 'supplement_requested', 'approved', 'rejected', 'withdrawn')),
        claimed_by       text,
        claimed_at       timestamptz,
        escalated_at     timestamptz,
        origin           text        CHECK (origin IN ('reviewer', 'auto', 'system')),
        decided_by       jsonb,
        decided_at       timestamptz,
        reason_code      text,
        reason_text      text,
        document         jsonb,
        auto_checks      jsonb,
        withdrawn_reason text,
        version          integer     NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (routing_id, department_id)
      )`);
    await queryRunner.query(`CREATE INDEX work_items_queue_idx ON work_items (department_id, state)`);
    await queryRunner.query(`CREATE INDEX work_items_case_idx ON work_items (case_id)`);
    await queryRunner.query(`CREATE INDEX approval_cases_due_idx ON approval_cases (due_at, case_id)`);
    // 一次性告知: one open request per case; rounds are numbered per case.
    await queryRunner.query(`
      CREATE TABLE supplement_requests (
        request_id         uuid        PRIMARY KEY,
        case_id            uuid        NOT NULL REFERENCES approval_cases (case_id),
        work_item_id       uuid        NOT NULL REFERENCES work_items (id),
        department_id      text        NOT NULL,
        round              integer     NOT NULL,
        items              jsonb       NOT NULL,
        requested_by       jsonb       NOT NULL,
        requested_at       timestamptz NOT NULL,
        due_at             timestamptz,
        answered_at        timestamptz,
        answered_materials text[],
        withdrawn_at       timestamptz,
        UNIQUE (case_id, round)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX supplement_requests_one_open_idx ON supplement_requests (case_id)
        WHERE answered_at IS NULL AND withdrawn_at IS NULL`,
    );
    // Persisted SLA timers: one row per routing and kind; fired by the poller of any instance.
    await queryRunner.query(`
      CREATE TABLE sla_timers (
        id         bigserial   PRIMARY KEY,
        case_id    uuid        NOT NULL REFERENCES approval_cases (case_id),
        routing_id uuid        NOT NULL,
        kind       text        NOT NULL CHECK (kind IN ('warning', 'overdue', 'escalated')),
        fire_at    timestamptz NOT NULL,
        state      text        NOT NULL CHECK (state IN ('pending', 'paused', 'fired', 'cancelled')),
        fired_at   timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (routing_id, kind)
      )`);
    await queryRunner.query(
      `CREATE INDEX sla_timers_due_idx ON sla_timers (fire_at) WHERE state = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX sla_timers_case_idx ON sla_timers (case_id)`);
    // Result document numbers: one sequence per department and (China Standard Time) day.
    await queryRunner.query(`
      CREATE TABLE document_sequences (
        department_id text    NOT NULL,
        day           date    NOT NULL,
        last_seq      integer NOT NULL,
        PRIMARY KEY (department_id, day)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'document_sequences',
      'sla_timers',
      'supplement_requests',
      'work_items',
      'approval_cases',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
