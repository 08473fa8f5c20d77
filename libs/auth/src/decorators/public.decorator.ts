import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const IS_PUBLIC_KEY = 'tongban:auth:public';

/**
 * Opens a route (or a whole controller) to unauthenticated callers: health probes, metrics.
 * Everything else needs a valid bearer token. Rate limiting still applies, keyed by client IP.
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

export function isPublicRoute(reflector: Reflector, context: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) === true
  );
}
