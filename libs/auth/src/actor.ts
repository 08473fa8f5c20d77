import { z } from 'zod';

export const ROLES = ['office_staff', 'reviewer', 'courier', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller of a request, as every guard, handler and audit entry sees it. */
export type Actor =
  | { readonly sub: string; readonly role: 'office_staff'; readonly officeId: string }
  | {
      readonly sub: string;
      readonly role: 'reviewer';
      readonly departmentId: string;
      /** A supervising reviewer of the department (escalations, reassignment); same scope. */
      readonly supervisor: boolean;
    }
  | { readonly sub: string; readonly role: 'courier'; readonly courierId: string }
  | { readonly sub: string; readonly role: 'operator' }
  | { readonly sub: string; readonly role: 'admin' };

// Office, department and courier ids are provisional until reference data owns them; this only
// keeps them to short printable tokens so they are safe in SQL parameters, logs and Redis keys.
const scopeId = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'must be a short id of letters, digits, _ . : -');
const subject = z.string().min(1).max(255);

/**
 * The token claims a principal is read from, after the signature, issuer, audience and lifetime
 * have been verified. An identity provider maps its user attributes to these names; a role
 * without its scope claim (office_staff without office_id, ...) is rejected.
 */
export const actorClaimsSchema = z
  .discriminatedUnion('role', [
    z.object({ sub: subject, role: z.literal('office_staff'), office_id: scopeId }),
    z.object({
      sub: subject,
      role: z.literal('reviewer'),
      department_id: scopeId,
      supervisor: z.boolean().default(false),
    }),
    z.object({ sub: subject, role: z.literal('courier'), courier_id: scopeId }),
    z.object({ sub: subject, role: z.literal('operator') }),
    z.object({ sub: subject, role: z.literal('admin') }),
  ])
  .transform((claims): Actor => {
    switch (claims.role) {
      case 'office_staff':
        return { sub: claims.sub, role: claims.role, officeId: claims.office_id };
      case 'reviewer':
        return {
          sub: claims.sub,
          role: claims.role,
          departmentId: claims.department_id,
          supervisor: claims.supervisor,
        };
      case 'courier':
        return { sub: claims.sub, role: claims.role, courierId: claims.courier_id };
      default:
        return { sub: claims.sub, role: claims.role };
    }
  });

export type ActorClaims = z.input<typeof actorClaimsSchema>;

/** The claims that make a token for this actor; the inverse of `actorClaimsSchema`. */
export function claimsForActor(actor: Actor): ActorClaims {
  switch (actor.role) {
    case 'office_staff':
      return { sub: actor.sub, role: actor.role, office_id: actor.officeId };
    case 'reviewer':
      return {
        sub: actor.sub,
        role: actor.role,
        department_id: actor.departmentId,
        supervisor: actor.supervisor,
      };
    case 'courier':
      return { sub: actor.sub, role: actor.role, courier_id: actor.courierId };
    default:
      return { sub: actor.sub, role: actor.role };
  }
}
