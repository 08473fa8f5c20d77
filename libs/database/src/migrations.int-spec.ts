import { randomUUID } from 'node:crypto';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@tongban/testing';
import {
  Column,
  CreateDateColumn,
  DataSource,
  Entity,
  type MigrationInterface,
  PrimaryColumn,
  type QueryRunner,
} from 'typeorm';
import { MIGRATIONS_TABLE, postgresDataSourceOptions } from './data-source-options';
import { ensureDatabase, runMigrationsLocked } from './migrations';

@Entity({ name: 'probe_events' })
class ProbeEventEntity {
  @PrimaryColumn({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  // pg hands bigint back as a string so offsets above 2^53 survive.
  @Column({ type: 'bigint', name: 'kafka_offset' })
  offset!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

class CreateProbeEvents1000000000000 implements MigrationInterface {
  name = 'CreateProbeEvents1000000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE probe_events (
      event_id uuid PRIMARY KEY, topic text NOT NULL, kafka_offset bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE probe_events');
  }
}

const options = (url: string) =>
  postgresDataSourceOptions({
    url,
    poolSize: 4,
    applicationName: 'tongban-test',
    entities: [ProbeEventEntity],
    migrations: [CreateProbeEvents1000000000000],
  });

describe('TypeORM with versioned migrations on the real Postgres', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(testEnvironment().postgresUrl, 'migrations');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('applies each migration once even when two instances migrate at the same time', async () => {
    const first = new DataSource(options(database.url));
    const second = new DataSource(options(database.url));
    await Promise.all([first.initialize(), second.initialize()]);
    try {
      const [ranByFirst, ranBySecond] = await Promise.all([
        runMigrationsLocked(first),
        runMigrationsLocked(second),
      ]);
      expect([...ranByFirst, ...ranBySecond]).toEqual(['CreateProbeEvents1000000000000']);
      const applied: unknown[] = await first.query(`SELECT name FROM ${MIGRATIONS_TABLE}`);
      expect(applied).toEqual([{ name: 'CreateProbeEvents1000000000000' }]);
    } finally {
      await Promise.all([first.destroy(), second.destroy()]);
    }
  });

  it('writes and reads entities through the migrated schema', async () => {
    const dataSource = await new DataSource(options(database.url)).initialize();
    try {
      const repository = dataSource.getRepository(ProbeEventEntity);
      const eventId = randomUUID();
      await repository.insert({ eventId, topic: 'case.submitted', offset: '9007199254740993' });
      const stored = await repository.findOneByOrFail({ eventId });
      expect(stored).toMatchObject({ topic: 'case.submitted', offset: '9007199254740993' });
      expect(stored.createdAt).toBeInstanceOf(Date);
      await expect(repository.insert({ eventId, topic: 'case.submitted', offset: '1' })).rejects.toThrow(
        /duplicate key/,
      );
    } finally {
      await dataSource.destroy();
    }
  });

  it('renames the record of a migration that a renamed one replaces, instead of running it again', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_renamed`;
    await ensureDatabase(url.toString());
    class CreateProbeEvents1000000000001 extends CreateProbeEvents1000000000000 {
      override name = 'CreateProbeEvents1000000000001';
      readonly replaces = 'CreateProbeEvents1000000000000';
    }
    const withMigration = (migration: typeof CreateProbeEvents1000000000000) =>
      new DataSource({ ...options(url.toString()), migrations: [migration] }).initialize();
    try {
      const before = await withMigration(CreateProbeEvents1000000000000);
      await runMigrationsLocked(before);
      await before.destroy();
      const after = await withMigration(CreateProbeEvents1000000000001);
      try {
        expect(await runMigrationsLocked(after)).toEqual([]);
        expect(await after.query(`SELECT timestamp::text, name FROM ${MIGRATIONS_TABLE}`)).toEqual([
          { timestamp: '1000000000001', name: 'CreateProbeEvents1000000000001' },
        ]);
      } finally {
        await after.destroy();
      }
    } finally {
      const admin = await new DataSource({ type: 'postgres', url: database.url }).initialize();
      await admin.query(`DROP DATABASE IF EXISTS "${database.name}_renamed" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  it('creates a missing database once and leaves an existing one alone', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_extra`;
    try {
      expect(await ensureDatabase(url.toString())).toBe(true);
      expect(await ensureDatabase(url.toString())).toBe(false);
    } finally {
      const admin = await new DataSource({ type: 'postgres', url: database.url }).initialize();
      await admin.query(`DROP DATABASE IF EXISTS "${database.name}_extra" WITH (FORCE)`);
      await admin.destroy();
    }
  });
});
