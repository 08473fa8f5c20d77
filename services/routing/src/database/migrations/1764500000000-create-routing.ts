import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRouting1764500000000 implements MigrationInterface {
  name = 'CreateRouting1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The overlap rule is checked by the service with a readable answer; the exclusion
    // constraint keeps it true even for a write that bypasses the service.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`
      CREATE TABLE routing_rule_versions (
        rule_id                   text        NOT NULL,
        version                   integer     NOT NULL CHECK (version > 0),
        item_code                 text        NOT NULL,
        region                    text,
        effective_from            timestamptz NOT NULL,
        effective_to              timestamptz,
        basis                     text CHECK (basis IN
                                    ('household_district', 'registered_district', 'accepting_office', 'fixed_department')),
        department_type           text,
        department_id             text,
        parallel_department_types text[],
        note                      text        NOT NULL,
        created_by                jsonb       NOT NULL,
        created_at                timestamptz NOT NULL DEFAULT now(),
        closed_by_version         integer,
        PRIMARY KEY (rule_id, version),
        CHECK (effective_to IS NULL OR effective_to > effective_from),
        CHECK ((region IS NULL) = (basis IS NOT NULL)),
        EXCLUDE USING gist (rule_id WITH =, tstzrange(effective_from, effective_to) WITH &&)
      )`);
    await queryRunner.query(
      `CREATE INDEX routing_rule_versions_item_idx ON routing_rule_versions (item_code)`,
    );
    // One row: bumped in every transaction that changes rules, so each instance can tell in its
    // routing transaction whether its cached rules are current.
    await queryRunner.query(`
      CREATE TABLE routing_rules_revision (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        revision  bigint  NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO routing_rules_revision (revision) VALUES (0)`);

    await queryRunner.query(`
      CREATE TABLE routing_cases (
        case_id            uuid        PRIMARY KEY,
        item_code          text        NOT NULL,
        office_id          text        NOT NULL,
        accepted_at        timestamptz NOT NULL,
        snapshot           jsonb       NOT NULL,
        status             text        NOT NULL CHECK (status IN ('routed', 'triage')),
        current_routing_id uuid        NOT NULL,
        decided_at         timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE routing_decisions (
        routing_id            uuid        PRIMARY KEY,
        case_id               uuid        NOT NULL REFERENCES routing_cases (case_id),
        outcome               text        NOT NULL CHECK (outcome IN ('routed', 'unroutable')),
        origin                text        NOT NULL CHECK (origin IN ('rules', 'triage', 'reroute')),
        supersedes_routing_id uuid        REFERENCES routing_decisions (routing_id),
        rule_id               text,
        rule_version          integer,
        basis                 text,
        competent_region      text,
        assignments           jsonb,
        cross_district        boolean,
        time_limit_days       integer,
        sla_due_at            timestamptz,
        unroutable_reason     text,
        detail                text,
        explanation           jsonb       NOT NULL,
        decided_by            jsonb       NOT NULL,
        decided_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX routing_decisions_case_idx ON routing_decisions (case_id, decided_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX routing_decisions_department_idx ON routing_decisions ((assignments -> 0 ->> 'departmentId'), decided_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE routing_triage (
        case_id               uuid        PRIMARY KEY REFERENCES routing_cases (case_id),
        item_code             text        NOT NULL,
        office_id             text        NOT NULL,
        reason                text        NOT NULL,
        detail                text        NOT NULL,
        unroutable_routing_id uuid        NOT NULL REFERENCES routing_decisions (routing_id),
        queued_at             timestamptz NOT NULL DEFAULT now(),
        resolved_at           timestamptz,
        resolved_by           jsonb,
        resolution_routing_id uuid        REFERENCES routing_decisions (routing_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX routing_triage_open_idx ON routing_triage (queued_at, case_id) WHERE resolved_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE routing_triage`);
    await queryRunner.query(`DROP TABLE routing_decisions`);
    await queryRunner.query(`DROP TABLE routing_cases`);
    await queryRunner.query(`DROP TABLE routing_rules_revision`);
    await queryRunner.query(`DROP TABLE routing_rule_versions`);
  }
}
