import { NotFoundException } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../actor';

export type ScopeKey = 'officeId' | 'departmentId' | 'courierId';

/**
 * What an actor may see, as a filter: `{ officeId }` for office staff, `{ departmentId }` for
 * reviewers, `{ courierId }` for couriers, `{}` (everything) for operators and admins. Spreads
 * into a TypeORM `where`.
 */
export type ActorScope = Readonly<Partial<Record<ScopeKey, string>>>;

export function actorScope(actor: Actor): ActorScope {
  switch (actor.role) {
    case 'office_staff':
      return { officeId: actor.officeId };
    case 'reviewer':
      return { departmentId: actor.departmentId };
    case 'courier':
      return { courierId: actor.courierId };
    case 'operator':
    case 'admin':
      return {};
  }
}

/** The single scope id of an actor (office, department or courier), or null when unrestricted. */
export function actorScopeId(actor: Actor): string | null {
  const [id] = Object.values(actorScope(actor));
  return id ?? null;
}

/**
 * Columns of a query that hold each scope id. Several columns for one key mean "any of them":
 * a case is visible to the office that accepted it and to the office chosen for pickup.
 */
export type ScopeColumns = Readonly<Partial<Record<ScopeKey, string | readonly string[]>>>;

const COLUMN = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/;
const PARAMETER: Readonly<Record<ScopeKey, string>> = {
  officeId: 'authScopeOfficeId',
  departmentId: 'authScopeDepartmentId',
  courierId: 'authScopeCourierId',
};

/**
 * Restricts a query to the rows the actor may see. When the query has no column for the actor's
 * scope (a courier listing cases, say) it returns nothing rather than everything.
 */
export function applyActorScope<Entity extends ObjectLiteral>(
  query: SelectQueryBuilder<Entity>,
  actor: Actor,
  columns: ScopeColumns,
): SelectQueryBuilder<Entity> {
  for (const [key, id] of Object.entries(actorScope(actor)) as [ScopeKey, string][]) {
    const mapped = columns[key];
    const list = mapped === undefined ? [] : typeof mapped === 'string' ? [mapped] : mapped;
    if (list.length === 0) return query.andWhere('FALSE');
    for (const column of list) {
      // Column names become SQL text; only the id travels as a parameter.
      if (!COLUMN.test(column)) throw new Error(`applyActorScope: "${column}" is not a column reference`);
    }
    const parameter = PARAMETER[key];
    query.andWhere(`(${list.map((column) => `${column} = :${parameter}`).join(' OR ')})`, {
      [parameter]: id,
    });
  }
  return query;
}

/** The scope ids a loaded object belongs to; several values for one key mean "any of them". */
export type ResourceScope = Readonly<
  Partial<Record<ScopeKey, string | null | undefined | readonly (string | null | undefined)[]>>
>;

/**
 * Throws 404 when the actor may not see the object, exactly as if it did not exist, so ids of
 * other offices' cases cannot be probed. Handlers answer a missing object with the same
 * `NotFoundException()` so the two cases are indistinguishable.
 */
export function assertInScope(actor: Actor, resource: ResourceScope): void {
  for (const [key, id] of Object.entries(actorScope(actor)) as [ScopeKey, string][]) {
    const owned = resource[key];
    const values = Array.isArray(owned) ? owned : [owned];
    if (!values.includes(id)) throw new NotFoundException();
  }
}
