import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit log. The trigger is what makes it append-only for the service's own
 * database user, which owns the table and so could otherwise change rows; it fires per
 * statement, so even an UPDATE or DELETE matching no row is refused.
 */
export class CreateAuditLog1764300000000 implements MigrationInterface {
  name = 'CreateAuditLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id          bigserial   PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_sub   text        NOT NULL,
        actor_role  text        NOT NULL,
        actor_scope text,
        action      text        NOT NULL,
        object_type text        NOT NULL,
        object_id   text,
        result      text        NOT NULL CHECK (result IN ('succeeded', 'denied', 'failed')),
        detail      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        trace_id    text
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, occurred_at)`,
    );
    await queryRunner.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_sub, occurred_at)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_reject_change()`);
  }
}
