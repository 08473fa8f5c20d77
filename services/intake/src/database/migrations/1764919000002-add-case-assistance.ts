import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCaseAssistance1764919000002 implements MigrationInterface {
  name = 'AddCaseAssistance1764919000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 帮办代办 as accepted: the mode, and for an agent the name sealed (ciphertext and mask) and the
    // relation. Null for cases accepted before it was kept.
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN assistance jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN assistance`);
  }
}
