import type { MigrationInterface, QueryRunner } from 'typeorm';

// The value lists as they were when this migration shipped, frozen.
const KINDS = `'daily', 'weekly', 'monthly'`;
const TRIGGERS = `'schedule', 'demand'`;

export class CreateReports1765200000001 implements MigrationInterface {
  name = 'CreateReports1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 日报告、周通报、月汇总 as generated, kept: the workbook (base64 XLSX), the printable page and
    // the totals. Periods are China dates as text, never shifted by a session's time zone.
    await queryRunner.query(`
      CREATE TABLE reports (
        id           uuid        PRIMARY KEY,
        kind         text        NOT NULL CHECK (kind IN (${KINDS})),
        period_from  text        NOT NULL CHECK (period_from ~ '^\\d{4}-\\d{2}-\\d{2}$'),
        period_to    text        NOT NULL CHECK (period_to ~ '^\\d{4}-\\d{2}-\\d{2}$'),
        trigger      text        NOT NULL CHECK (trigger IN (${TRIGGERS})),
        requested_by text,
        generated_at timestamptz NOT NULL,
        xlsx_base64  text        NOT NULL,
        html         text        NOT NULL,
        summary      jsonb       NOT NULL
      )`);
    // The schedule makes each period's report once, whichever instance gets there first.
    await queryRunner.query(
      `CREATE UNIQUE INDEX reports_scheduled_once ON reports (kind, period_from) WHERE trigger = 'schedule'`,
    );
    await queryRunner.query(`CREATE INDEX reports_generated_idx ON reports (generated_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reports`);
  }
}
