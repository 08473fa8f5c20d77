import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCaseSlaClock1764800000000 implements MigrationInterface {
  name = 'AddCaseSlaClock1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Approval owns the deadline: case.routed gives the first one, case.sla every later one. The
    // time of the event that set it orders them (the topics are not ordered with each other), and
    // a clock paused for a supplement is not overdue.
    await queryRunner.query(`
      ALTER TABLE cases
        ADD COLUMN sla_due_at_as_of timestamptz,
        ADD COLUMN sla_paused boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN sla_paused, DROP COLUMN sla_due_at_as_of`);
  }
}
