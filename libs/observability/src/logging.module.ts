import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination, stdTimeFunctions } from 'pino';

export interface LoggingOptions {
  readonly service: string;
  readonly level: string;
}

/** Fields that may carry personal data anywhere in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.idNumber',
  '*.phone',
  '*.applicant.idNumber',
  '*.applicant.phone',
];

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The W3C trace id of the request, or a fresh one, so every log line can be joined to a trace. */
export function traceIdOf(req: IncomingMessage): string {
  const header = req.headers['traceparent'];
  const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  return match?.[1] ?? randomBytes(16).toString('hex');
}

@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: options.level,
              base: { service: options.service },
              timestamp: stdTimeFunctions.isoTime,
              formatters: { level: (label) => ({ level: label }) },
              redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
              genReqId: (req) => traceIdOf(req),
              customProps: (req) => ({ traceId: req.id }),
              // Probes hit every few seconds and would drown the useful lines.
              autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
            },
            // Synchronous writes: the last lines before an exit (the shutdown report, a fatal
            // error) must reach the log, even when stdout is a pipe.
            destination({ dest: 1, sync: true }),
          ],
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
