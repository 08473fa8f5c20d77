import type { MigrationInterface, QueryRunner } from 'typeorm';

// The kinds as they are when this migration ships, frozen: the previous list plus rongque_expired.
const KINDS = `'accepted', 'supplement_requested', 'supplement_reminder', 'rongque_expired', 'approved', 'rejected',
  'door_code', 'out_for_delivery', 'delivery_failed', 'ready_for_pickup', 'completed'`;
const PREVIOUS_KINDS = `'accepted', 'supplement_requested', 'supplement_reminder', 'approved', 'rejected', 'door_code',
  'out_for_delivery', 'delivery_failed', 'ready_for_pickup', 'completed'`;

export class AgentContactsAndRongqueExpiry1765000000001 implements MigrationInterface {
  name = 'AgentContactsAndRongqueExpiry1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 帮办代办: the agent's phone as it travels (ciphertext, lookup hash, mask), null without an agent.
    await queryRunner.query(`
      ALTER TABLE case_contacts
        ADD COLUMN agent_phone_ciphertext text,
        ADD COLUMN agent_phone_hash       text,
        ADD COLUMN agent_phone_masked     text`);
    // Each message goes to the applicant or, for a 帮办代办 case, to the agent too: once per
    // (case, kind, round, recipient).
    await queryRunner.query(`
      ALTER TABLE notifications
        ADD COLUMN recipient text NOT NULL DEFAULT 'applicant' CHECK (recipient IN ('applicant', 'agent'))`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_case_id_kind_round_key`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_case_kind_round_recipient_key
         UNIQUE (case_id, kind, round, recipient)`,
    );
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${KINDS}))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM notifications WHERE recipient = 'agent' OR kind = 'rongque_expired'`,
    );
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${PREVIOUS_KINDS}))`,
    );
    await queryRunner.query(
      `ALTER TABLE notifications DROP CONSTRAINT notifications_case_kind_round_recipient_key`,
    );
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_case_id_kind_round_key UNIQUE (case_id, kind, round)`,
    );
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN recipient`);
    await queryRunner.query(`
      ALTER TABLE case_contacts
        DROP COLUMN agent_phone_ciphertext, DROP COLUMN agent_phone_hash, DROP COLUMN agent_phone_masked`);
  }
}
