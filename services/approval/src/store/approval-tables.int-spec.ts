import { runMigrationsLocked, schemaDrift } from '@tongban/database';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@tongban/testing';
import { DataSource } from 'typeorm';
import { approvalDataSourceOptions } from '../database/approval-data-source';
import { APPROVAL_TABLES } from './approval-tables';

describe('approval tables: the declared row types match the migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(testEnvironment().postgresUrl, 'approval_schema');
    dataSource = await new DataSource(
      approvalDataSourceOptions({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: 2 }),
    ).initialize();
    await runMigrationsLocked(dataSource);
  }, 60000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('finds every declared column with its type family and nullability, and no undeclared one', async () => {
    expect(await schemaDrift(dataSource, APPROVAL_TABLES)).toEqual([]);
  });

  it('names the column when a migration and a declaration disagree', async () => {
    await dataSource.query(`ALTER TABLE document_sequences ALTER COLUMN last_seq DROP NOT NULL`);
    await dataSource.query(`ALTER TABLE document_sequences ADD COLUMN note text`);
    expect(await schemaDrift(dataSource, APPROVAL_TABLES)).toEqual([
      'document_sequences.last_seq: declared NOT NULL, the database has nullable',
      'document_sequences.note: in the database but not declared',
    ]);
  });
});
