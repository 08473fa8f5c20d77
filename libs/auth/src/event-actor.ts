import type { Actor } from './actor';
import type { Actor as EventActor } from '@tongban/contracts';

/** The actor as events carry it: identity-provider subject, role and scope, nothing personal. */
export function eventActor(actor: Actor): EventActor {
  switch (actor.role) {
    case 'office_staff':
      return { sub: actor.sub, role: actor.role, officeId: actor.officeId };
    case 'reviewer':
      return { sub: actor.sub, role: actor.role, departmentId: actor.departmentId };
    case 'courier':
      return { sub: actor.sub, role: actor.role, courierId: actor.courierId };
    default:
      return { sub: actor.sub, role: actor.role };
  }
}
