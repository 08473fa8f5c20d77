import { z } from 'zod';
import { type Actor, actorClaimsSchema, ROLES } from '../actor';
import rawDevUsers from './dev-users.json';

/** A seeded development user: an actor plus a label for people picking one. */
export type DevUser = Actor & { readonly label: string };

const devUserSchema = z.object({
  id: z.string(),
  label: z.string(),
  role: z.enum(ROLES),
  officeId: z.string().optional(),
  departmentId: z.string().optional(),
  supervisor: z.boolean().optional(),
  courierId: z.string().optional(),
});

/** The seeded development users (ids are provisional until reference data owns them). */
export function devUsers(): DevUser[] {
  return z
    .array(devUserSchema)
    .parse(rawDevUsers)
    .map((user) => {
      // The same rules as a token's claims, so every seeded user can sign in.
      const actor = actorClaimsSchema.safeParse({
        sub: user.id,
        role: user.role,
        office_id: user.officeId,
        department_id: user.departmentId,
        supervisor: user.supervisor,
        courier_id: user.courierId,
      });
      if (!actor.success) throw new Error(`dev-users.json: ${user.id}: ${z.prettifyError(actor.error)}`);
      return { ...actor.data, label: user.label };
    });
}

export function findDevUser(id: string): DevUser | undefined {
  return devUsers().find((user) => user.sub === id);
}
