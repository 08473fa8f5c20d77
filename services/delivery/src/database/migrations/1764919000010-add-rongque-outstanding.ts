import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRongqueOutstanding1764919000010 implements MigrationInterface {
  name = 'AddRongqueOutstanding1764919000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The 容缺 materials a case still misses, as of the newest fact: the decided case's snapshot
    // (as_of the epoch: older than any hand-in) or intake's case.rongque events, in either order.
    await queryRunner.query(`
      CREATE TABLE rongque_outstanding (
        case_id     uuid        PRIMARY KEY,
        outstanding text[]      NOT NULL,
        as_of       timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rongque_outstanding`);
  }
}
