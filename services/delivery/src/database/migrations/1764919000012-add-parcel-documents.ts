import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddParcelDocuments1764919000012 implements MigrationInterface {
  name = 'AddParcelDocuments1764919000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    // N证联办: every department's document the parcel carries (number, title, department), primary
    // first. A parcel created before holds its one document_number only, so it is filled from it.
    await queryRunner.query(`ALTER TABLE parcels ADD COLUMN documents jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(
      `UPDATE parcels SET documents = jsonb_build_array(jsonb_build_object(
         'number', document_number, 'title', NULL, 'departmentId', department_id))
        WHERE document_number IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE parcels DROP COLUMN documents`);
  }
}
