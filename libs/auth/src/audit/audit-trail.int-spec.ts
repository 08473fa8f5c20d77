import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import { runWithTraceContext } from '@tongban/observability';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@tongban/testing';
import { DataSource } from 'typeorm';
import type { Actor } from '../actor';
import { AuditEntryEntity } from './audit-entry.entity';
import { type AuditEntry, AuditTrail } from './audit-trail.service';
import { CreateAuditLog1764300000000 } from './migrations/1764300000000-create-audit-log';

const reviewer: Actor = {
  sub: 'reviewer-rsj',
  role: 'reviewer',
  departmentId: '440306-rsj',
  supervisor: false,
};

const approval = (caseId: string): AuditEntry => ({
  actor: reviewer,
  action: 'case.decide',
  objectType: 'case',
  objectId: caseId,
  result: 'succeeded',
  detail: { decision: 'approved', round: 1 },
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
});

describe('AuditTrail on the real Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const trail = new AuditTrail();

  beforeAll(async () => {
    database = await createTestDatabase(testEnvironment().postgresUrl, 'audit');
    dataSource = await new DataSource(
      postgresDataSourceOptions({
        url: database.url,
        poolSize: 4,
        applicationName: 'tongban-test',
        entities: [AuditEntryEntity],
        migrations: [CreateAuditLog1764300000000],
      }),
    ).initialize();
    await runMigrationsLocked(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('records an entry within the caller transaction and reads it back through the entity', async () => {
    const id = await dataSource.transaction((manager) => trail.record(manager, approval('case-1')));
    const stored = await dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ id });
    expect(stored).toMatchObject({
      actorSub: 'reviewer-rsj',
      actorRole: 'reviewer',
      actorScope: '440306-rsj',
      action: 'case.decide',
      objectType: 'case',
      objectId: 'case-1',
      result: 'succeeded',
      detail: { decision: 'approved', round: 1 },
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(stored.occurredAt).toBeInstanceOf(Date);
  });

  it('takes the trace id of the work in progress when the entry names none', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const entry = { ...approval('case-traced'), traceId: undefined };
    const id = await runWithTraceContext(traceparent, () =>
      dataSource.transaction((manager) => trail.record(manager, entry)),
    );
    const stored = await dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ id });
    expect(stored.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET result = 'failed'`],
    ['DELETE', 'DELETE FROM audit_log'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses %s and leaves every entry as it was', async (operation, statement) => {
    await dataSource.transaction((manager) => trail.record(manager, approval('case-2')));
    const before: unknown[] = await dataSource.query('SELECT * FROM audit_log ORDER BY id');
    await expect(dataSource.query(statement)).rejects.toThrow(
      new RegExp(`audit_log is append-only: ${operation} is not allowed`),
    );
    expect(await dataSource.query('SELECT * FROM audit_log ORDER BY id')).toEqual(before);
  });

  it('refuses an UPDATE or DELETE even when it matches no row', async () => {
    await expect(dataSource.query(`UPDATE audit_log SET result = 'failed' WHERE id = -1`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(dataSource.query('DELETE FROM audit_log WHERE id = -1')).rejects.toThrow(
      /append-only: DELETE/,
    );
  });

  it('leaves no entry behind when the transaction rolls back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await trail.record(manager, approval('case-rolled-back'));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const rows: unknown[] = await dataSource.query(
      `SELECT id FROM audit_log WHERE object_id = 'case-rolled-back'`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses detail that carries an ID number or a phone number, and writes nothing', async () => {
    const count = async () =>
      ((await dataSource.query('SELECT count(*)::int AS n FROM audit_log')) as [{ n: number }])[0].n;
    const before = await count();
    for (const detail of [{ applicant: '11010519491231002X' }, { contact: { mobile: '13800138000' } }]) {
      await expect(
        dataSource.transaction((manager) => trail.record(manager, { ...approval('case-3'), detail })),
      ).rejects.toThrow(/looks like personal data/);
    }
    expect(await count()).toBe(before);
    // A long technical number that is no valid ID number is fine.
    await dataSource.transaction((manager) =>
      trail.record(manager, { ...approval('case-3'), detail: { kafkaOffset: '123456789012345678' } }),
    );
    expect(await count()).toBe(before + 1);
  });

  it('records ids that hold a valid mobile number by chance (UUIDs), as every audited action writes them', async () => {
    const parcelIds = ['d2713ebb-306e-482d-96ef-b16716078582', '3439f4d6-a192-4669-8854-3247f1264632'];
    const id = await dataSource.transaction((manager) =>
      trail.record(manager, {
        ...approval(parcelIds[0]!),
        action: 'parcel.pick-up',
        objectType: 'courier-receipt',
        detail: { officeId: '440306001', parcelIds },
      }),
    );
    const stored = await dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ id });
    expect(stored.detail).toEqual({ officeId: '440306001', parcelIds });
  });

  it('keeps the result to succeeded, denied or failed', async () => {
    await expect(
      dataSource.transaction((manager) =>
        trail.record(manager, { ...approval('case-4'), result: 'maybe' as AuditEntry['result'] }),
      ),
    ).rejects.toThrow(/audit_log_result_check/);
  });
});
