import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator, type AuthRequest } from '../authenticator.service';
import { isPublicRoute } from '../decorators/public.decorator';
import { AuthenticationError } from '../jwt/token-verifier';

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked `@Public()`. Kafka
 * handlers of the hybrid app are not HTTP and pass; events are trusted by their topic ACLs.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || isPublicRoute(this.reflector, context)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthRequest>();
    try {
      request.actor = await this.authenticator.authenticate(request);
      return true;
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw rejection(error, http.getResponse<HeaderSink>());
    }
  }
}

function rejection(error: AuthenticationError, response: HeaderSink) {
  if (error.reason === 'keys_unavailable') {
    return new ServiceUnavailableException({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: error.message,
      reason: error.reason,
    });
  }
  // RFC 6750: a request without credentials gets the bare challenge, a bad token the error code.
  const challenge =
    error.reason === 'missing'
      ? 'Bearer realm="tongban"'
      : `Bearer realm="tongban", error="invalid_token", error_description="${error.message}"`;
  response.setHeader('WWW-Authenticate', challenge);
  return new UnauthorizedException({
    statusCode: HttpStatus.UNAUTHORIZED,
    error: 'Unauthorized',
    message: error.message,
    reason: error.reason,
  });
}
