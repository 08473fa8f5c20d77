import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination, stdTimeFunctions } from 'pino';
import { scrubLogLine } from './personal-data-scrubber';
import { currentTraceId, traceContextMiddleware, traceIdOf } from './trace-context';

export interface LoggingOptions {
  readonly service: string;
  readonly level: string;
}

const PERSONAL_FIELDS = ['idNumber', 'applicantIdNumber', 'phone', 'mobile', 'authorization', 'cookie'];
// Redaction paths cannot say "at any depth"; this reaches request bodies logged inside an object
// (`{ body: { applicant: { idNumber } } }`). Deeper fields are left to the line scrubber.
const REDACTION_DEPTH = 4;

/** Fields that may carry personal data or credentials anywhere in a logged object. */
export const REDACTED_PATHS = [
  ...PERSONAL_FIELDS.flatMap((field) =>
    Array.from({ length: REDACTION_DEPTH + 1 }, (_, depth) =>
      [...Array<string>(depth).fill('*'), field].join('.'),
    ),
  ),
  'res.headers["set-cookie"]',
];

@Module({})
export class LoggingModule implements NestModule {
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
              // Every line logged in a trace carries its id: requests, Kafka handlers, and what
              // they call, not only pino-http's request lines.
              mixin: () => {
                const traceId = currentTraceId();
                return traceId === undefined ? {} : { traceId };
              },
              redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
              hooks: { streamWrite: scrubLogLine },
              genReqId: (req) => traceIdOf(req),
              // The path only: query strings and route parameters may carry what an applicant or
              // a filter typed (and carried credentials before they moved to bodies); headers
              // carry tokens. Bodies are never logged.
              serializers: {
                req: (req: { id?: unknown; method?: string; url?: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: (req.url ?? '').split('?')[0],
                }),
              },
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

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(traceContextMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
