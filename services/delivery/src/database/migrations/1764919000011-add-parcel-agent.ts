import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddParcelAgent1764919000011 implements MigrationInterface {
  name = 'AddParcelAgent1764919000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 帮办代办: the agent who may collect the result, as the window sees them (masks and the
    // relation) and the lookup hash of the agent's ID number the window checks at collection.
    // Null when the applicant came in person or the case predates it.
    await queryRunner.query(`ALTER TABLE parcels ADD COLUMN agent jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE parcels DROP COLUMN agent`);
  }
}
