import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRongqueExpiry1764919000000 implements MigrationInterface {
  name = 'AddRongqueExpiry1764919000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 容缺 deadline timer: the row records that the reminder and the expiry fired, so it fires once across restarts
    // and instances; the partial index keeps the timer's scan to cases still waiting on materials.
    await queryRunner.query(
      `ALTER TABLE cases ADD COLUMN rongque_reminded_at timestamptz, ADD COLUMN rongque_expired_at timestamptz`,
    );
    await queryRunner.query(
      `CREATE INDEX cases_rongque_due_idx ON cases (supplement_due_at)
        WHERE supplement_due_at IS NOT NULL AND rongque_expired_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX cases_rongque_due_idx`);
    await queryRunner.query(
      `ALTER TABLE cases DROP COLUMN rongque_expired_at, DROP COLUMN rongque_reminded_at`,
    );
  }
}
