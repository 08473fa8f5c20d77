import { SetMetadata } from '@nestjs/common';
import type { Role } from '../actor';

export const ROLES_KEY = 'tongban:auth:roles';
export const OPERATOR_WRITE_KEY = 'tongban:auth:operator-write';

/**
 * Limits a route (or controller; the handler's list wins) to these roles; others get 403. Without
 * it any authenticated role passes. `admin` is not implied: list it where admins may act.
 */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES_KEY, roles);

/**
 * Operators are read-only: they pass only GET and HEAD unless the handler itself carries this
 * (e.g. replaying dead letters). It does not bypass `@Roles`.
 */
export const AllowOperatorWrite = () => SetMetadata(OPERATOR_WRITE_KEY, true);
