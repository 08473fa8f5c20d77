import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPromisedLimit1764919000001 implements MigrationInterface {
  name = 'AddPromisedLimit1764919000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 承诺时限 beside the legal deadline: the deciding department and the legal deadline as routing
    // first set it, from which the promised one is recomputed whenever the legal one moves.
    await queryRunner.query(`
      ALTER TABLE cases
        ADD COLUMN promised_due_at timestamptz,
        ADD COLUMN promise_department_id text,
        ADD COLUMN promise_first_due_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE cases DROP COLUMN promise_first_due_at, DROP COLUMN promise_department_id, DROP COLUMN promised_due_at`,
    );
  }
}
