import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's backlog moves from a published_at column on outbox to a narrow outbox_pending
 * queue, and the NOTIFY trigger goes.
 *
 * NOTIFY takes a cluster-wide lock at commit that is held through the WAL flush, so every
 * committing writer of every database queued behind it; the relay is now woken in-process by the
 * writers of its own instance and polls adaptively for the others (outbox-relay.ts). Marking a row
 * published used to rewrite the whole row (payload included) and insert into every outbox index,
 * because published_at was indexed; now it deletes an id from outbox_pending. The outbox rows
 * themselves stay until their retention, so they can still be read after publication.
 */
export class OutboxPendingQueue1765100000000 implements MigrationInterface {
  name = 'OutboxPendingQueue1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_notify ON outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify()`);
    await queryRunner.query(`CREATE TABLE outbox_pending (id bigint PRIMARY KEY)`);
    await queryRunner.query(
      `INSERT INTO outbox_pending (id) SELECT id FROM outbox WHERE published_at IS NULL`,
    );
    // Statement level with a transition table: one insert per writing statement, in the writer's
    // transaction, so a row is pending if and only if it committed.
    await queryRunner.query(`
      CREATE FUNCTION outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox_pending (id) SELECT id FROM added;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_enqueue AFTER INSERT ON outbox REFERENCING NEW TABLE AS added
         FOR EACH STATEMENT EXECUTE FUNCTION outbox_enqueue()`,
    );
    await queryRunner.query(`DROP INDEX outbox_unpublished_idx`);
    await queryRunner.query(`DROP INDEX outbox_published_at_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN published_at`);
    // Rows are appended in time order: a BRIN index finds the expired ones for a few pages of index.
    await queryRunner.query(`CREATE INDEX outbox_created_at_brin ON outbox USING brin (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_created_at_brin`);
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN published_at timestamptz`);
    await queryRunner.query(
      `UPDATE outbox SET published_at = clock_timestamp()
        WHERE NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.id = outbox.id)`,
    );
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
    await queryRunner.query(
      `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`DROP TRIGGER outbox_enqueue ON outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_enqueue()`);
    await queryRunner.query(`DROP TABLE outbox_pending`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tongban_outbox', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }
}
