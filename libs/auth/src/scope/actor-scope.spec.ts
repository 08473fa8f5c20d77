import { NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../actor';
import { actorScope, actorScopeId, applyActorScope, assertInScope } from './actor-scope';

const xinanStaff: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' };
const luohuStaff: Actor = { sub: 'staff-luohu', role: 'office_staff', officeId: '440303001' };
const rsjReviewer: Actor = {
  sub: 'reviewer-rsj',
  role: 'reviewer',
  departmentId: '440306-rsj',
  supervisor: false,
};
const courier: Actor = { sub: 'courier-01', role: 'courier', courierId: 'courier-01' };
const operator: Actor = { sub: 'operator', role: 'operator' };
const admin: Actor = { sub: 'admin', role: 'admin' };

// Builds SQL text only; no connection is made.
const dataSource = new DataSource({ type: 'postgres' });
const casesQuery = () => dataSource.createQueryBuilder().select('c.id').from('cases', 'c');

describe('actorScope', () => {
  it.each([
    ['office staff to their office', xinanStaff, { officeId: '440306001' }, '440306001'],
    ['reviewers to their department', rsjReviewer, { departmentId: '440306-rsj' }, '440306-rsj'],
    ['couriers to their own parcels', courier, { courierId: 'courier-01' }, 'courier-01'],
    ['operators not at all (they see everything)', operator, {}, null],
    ['admins not at all (they see everything)', admin, {}, null],
  ])('scopes %s', (_case, actor, scope, id) => {
    expect(actorScope(actor)).toEqual(scope);
    expect(actorScopeId(actor)).toBe(id);
  });
});

describe('applyActorScope', () => {
  const columns = {
    officeId: ['c.submitted_office_id', 'c.pickup_office_id'],
    departmentId: 'c.department_id',
  };

  it('limits office staff to cases of their office, on any of the mapped columns', () => {
    const query = applyActorScope(casesQuery(), xinanStaff, columns);
    expect(query.getQuery()).toBe(
      'SELECT c.id FROM "cases" "c" WHERE (c.submitted_office_id = :authScopeOfficeId OR c.pickup_office_id = :authScopeOfficeId)',
    );
    expect(query.getParameters()).toEqual({ authScopeOfficeId: '440306001' });
  });

  it('limits reviewers to their department', () => {
    const query = applyActorScope(
      casesQuery().where('c.state = :state', { state: 'routed' }),
      rsjReviewer,
      columns,
    );
    expect(query.getQuery()).toBe(
      'SELECT c.id FROM "cases" "c" WHERE c.state = :state AND (c.department_id = :authScopeDepartmentId)',
    );
    expect(query.getParameters()).toEqual({ state: 'routed', authScopeDepartmentId: '440306-rsj' });
  });

  it('returns nothing when the query has no column for the actor scope', () => {
    expect(applyActorScope(casesQuery(), courier, columns).getQuery()).toBe(
      'SELECT c.id FROM "cases" "c" WHERE FALSE',
    );
  });

  it('leaves the query alone for operators and admins', () => {
    expect(applyActorScope(casesQuery(), operator, columns).getQuery()).toBe('SELECT c.id FROM "cases" "c"');
    expect(applyActorScope(casesQuery(), admin, {}).getQuery()).toBe('SELECT c.id FROM "cases" "c"');
  });

  it('refuses a column mapping that is not a plain column reference', () => {
    expect(() => applyActorScope(casesQuery(), xinanStaff, { officeId: 'c.office_id OR TRUE' })).toThrow(
      /not a column reference/,
    );
  });
});

describe('assertInScope', () => {
  const xinanCase = { officeId: ['440306001', '440306002'], departmentId: '440306-rsj' };

  it('passes actors whose scope owns the object', () => {
    expect(() => assertInScope(xinanStaff, xinanCase)).not.toThrow();
    expect(() => assertInScope(rsjReviewer, xinanCase)).not.toThrow();
    expect(() => assertInScope(operator, xinanCase)).not.toThrow();
    expect(() => assertInScope(admin, {})).not.toThrow();
  });

  it('answers 404 for another office, department or courier, as if the object did not exist', () => {
    const otherReviewer: Actor = { ...rsjReviewer, departmentId: '440306-ybj' };
    for (const actor of [luohuStaff, otherReviewer, courier]) {
      const error = captureError(() => assertInScope(actor, xinanCase));
      expect(error).toBeInstanceOf(NotFoundException);
      expect((error as NotFoundException).getResponse()).toEqual({ statusCode: 404, message: 'Not Found' });
    }
  });

  it('fails closed when the object does not say who owns it', () => {
    expect(() => assertInScope(xinanStaff, { officeId: null })).toThrow(NotFoundException);
    expect(() => assertInScope(xinanStaff, {})).toThrow(NotFoundException);
  });
});

function captureError(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}
