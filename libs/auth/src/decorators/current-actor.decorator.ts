import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../actor';
import type { AuthRequest } from '../authenticator.service';

/** Injects the authenticated actor of the request into a handler parameter. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthRequest>().actor;
  // Only reachable on a @Public() route, where asking for the actor is a programming error.
  if (!actor) throw new Error('@CurrentActor() used on a route without authentication');
  return actor;
});
