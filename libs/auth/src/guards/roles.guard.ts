import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpStatus,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../actor';
import type { AuthRequest } from '../authenticator.service';
import { isPublicRoute } from '../decorators/public.decorator';
import { OPERATOR_WRITE_KEY, ROLES_KEY } from '../decorators/roles.decorator';

// Methods that read only; everything else changes state and is closed to operators.
const READ_METHODS = new Set(['GET', 'HEAD']);

const forbidden = (message: string) =>
  new ForbiddenException({ statusCode: HttpStatus.FORBIDDEN, error: 'Forbidden', message });

/**
 * Global guard after `JwtAuthGuard`: enforces `@Roles(...)` and keeps operators read-only unless
 * the handler says `@AllowOperatorWrite()`. Object-level checks (which office's case) are the
 * handler's, with `assertInScope` / `applyActorScope`.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || isPublicRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const actor = request.actor;
    if (!actor) throw new Error('RolesGuard needs JwtAuthGuard to run first');
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw forbidden(`this action is open to: ${roles.join(', ')}`);
    }
    if (
      actor.role === 'operator' &&
      !READ_METHODS.has(request.method.toUpperCase()) &&
      this.reflector.get<boolean | undefined>(OPERATOR_WRITE_KEY, context.getHandler()) !== true
    ) {
      throw forbidden('operators have read-only access');
    }
    return true;
  }
}
