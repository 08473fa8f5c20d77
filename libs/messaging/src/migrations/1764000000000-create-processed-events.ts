import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProcessedEvents1764000000000 implements MigrationInterface {
  name = 'CreateProcessedEvents1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE processed_events (
        handler      text        NOT NULL,
        event_id     uuid        NOT NULL,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (handler, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE processed_events`);
  }
}
