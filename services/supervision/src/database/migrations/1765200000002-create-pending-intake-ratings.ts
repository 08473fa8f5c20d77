import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePendingIntakeRatings1765200000002 implements MigrationInterface {
  name = 'CreatePendingIntakeRatings1765200000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Intake's rating of a case whose handover (or rejection) has not reached supervision yet:
    // the events travel on other topics, and a handler waiting for them would hold up the
    // consumer's fetches, so the rating waits here until the facts arrive.
    await queryRunner.query(`
      CREATE TABLE pending_intake_ratings (
        case_id     uuid        PRIMARY KEY,
        score       smallint    NOT NULL CHECK (score BETWEEN 1 AND 5),
        comment     text,
        channel     text        NOT NULL,
        rated_at    timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pending_intake_ratings`);
  }
}
