import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import { isTransientInfrastructureError } from '@tongban/messaging';

interface RoutedRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/** The request's route template (`/cases/:id`) or, unrouted, its path: never the query string. */
export function requestPathOf(req: RoutedRequest): string {
  const template = req.route?.path;
  if (typeof template === 'string') return `${req.baseUrl ?? ''}${template}`;
  return (req.url ?? '').split('?')[0] ?? '';
}

// Database and driver messages quote the offending value ("invalid input syntax for type uuid:
// "…"", "Key (receipt)=(…)"), which may be personal data or a credential.
function withoutQuotedValues(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"').replace(/=\([^)]*\)/g, '=(…)');
}

/**
 * What a 500 log line may say about an error: its type, database error code and constraint, a
 * message without quoted values, and the stack below the message. Never the SQL parameters,
 * the query, the driver's detail or the request, which TypeORM's QueryFailedError carries.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  const driver = (error as { driverError?: { code?: unknown; constraint?: unknown; table?: unknown } })
    .driverError;
  const code = driver?.code ?? fields.code;
  const constraint = driver?.constraint ?? fields.constraint;
  const table = driver?.table ?? fields.table;
  return {
    type: error.name,
    message: withoutQuotedValues(error.message),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
    ...(typeof table === 'string' ? { table } : {}),
    stack: (error.stack ?? '').split('\n').slice(1).join('\n'),
  };
}

/**
 * When a client should try again after the database was unreachable: a restart or a failover
 * takes seconds, and a client told sooner only adds load to a database that is coming back.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The last word on every HTTP error. HttpExceptions answer as Nest would, plus a Retry-After
 * header on every 429 whose body says when to retry (so no route can forget it). A database that
 * is unreachable, restarting or refusing connections (isTransientInfrastructureError) answers 503
 * with Retry-After: nothing was changed and the same request can be sent again (with its
 * Idempotency-Key where the route takes one). Anything else answers a bare 500 and is logged by `loggableError`, without the request's query or body.
 * Kafka handlers keep Nest's own RPC handling.
 */
@Catch()
export class SafeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');
  private readonly rpc = new BaseRpcExceptionFilter();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return this.rpc.catch(exception, host);
    const http = host.switchToHttp();
    const req = http.getRequest<RoutedRequest>();
    const res = http.getResponse<ServerResponse>();
    const adapter = this.adapterHost.httpAdapter;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : response;
      const retryAfter = (body as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (status === HttpStatus.TOO_MANY_REQUESTS && typeof retryAfter === 'number' && !res.headersSent) {
        adapter.setHeader(res, 'Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      }
      adapter.reply(res, body, status);
      return undefined;
    }
    if (isTransientInfrastructureError(exception)) {
      this.logger.warn({
        msg: 'request failed: database unavailable',
        method: req.method,
        route: requestPathOf(req),
        err: loggableError(exception),
      });
      if (res.headersSent) {
        adapter.end(res);
        return undefined;
      }
      adapter.setHeader(res, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      adapter.reply(
        res,
        {
          statusCode: HttpStatus.SERVICE_UNAVAILABLE,
          error: 'Service Unavailable',
          message: 'the database is unavailable for a moment; nothing was changed, send the request again',
          retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
      return undefined;
    }
    this.logger.error({
      msg: 'request failed',
      method: req.method,
      route: requestPathOf(req),
      err: loggableError(exception),
    });
    if (!res.headersSent) {
      adapter.reply(
        res,
        { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' },
        HttpStatus.INTERNAL_SERVER_ERROR,
      );
    } else {
      adapter.end(res);
    }
    return undefined;
  }
}
