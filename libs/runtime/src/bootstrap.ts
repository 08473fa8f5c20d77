import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigError, loadConfig, type ServiceName } from '@tongban/config';
import type { ServiceConfig } from './service-config-schema';
import { kafkaConsumerStrategy } from '@tongban/messaging';
import { stopTracing } from '@tongban/observability';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { DataSourceOptions } from 'typeorm';
import type { z } from 'zod';
import { KafkaConsumerState } from './health/kafka-consumer-state';
import { httpMetricsMiddleware } from './metrics/http-metrics';
import { MetricsServer } from './metrics/metrics-server';
import { SERVICE_METRICS } from './metrics/service-metrics';

/** Everything the runtime needs to know to boot, migrate or test one service. */
export interface ServiceDefinition<Config extends ServiceConfig> {
  readonly service: ServiceName;
  readonly title: string;
  readonly configSchema: z.ZodType<Config, unknown>;
  readonly appModule: (config: Config) => DynamicModule;
  readonly dataSourceOptions: (config: Config) => DataSourceOptions;
}

export function loadServiceConfig<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  env: Record<string, string | undefined> = process.env,
): Config {
  return loadConfig(definition.configSchema as unknown as z.ZodObject, env) as Config;
}

/** The OpenAPI pages map the API for anyone: off in production unless DOCS_ENABLED says so. */
export function docsEnabled(config: Pick<ServiceConfig, 'DOCS_ENABLED' | 'NODE_ENV'>): boolean {
  return config.DOCS_ENABLED ?? config.NODE_ENV !== 'production';
}

/** Builds the hybrid application (HTTP + Kafka consumer) without listening: tests use this too. */
export async function createServiceApp<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  config: Config,
): Promise<INestApplication> {
  // The runtime's StrictJsonBodyMiddleware is the only body parser: no forms, no lenient UTF-8.
  const app = await NestFactory.create<NestExpressApplication>(definition.appModule(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(app.get(SERVICE_METRICS)));

  if (docsEnabled(config)) {
    app.use('/docs', docsRateLimit());
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(definition.title).setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs/openapi.json' });
  }

  const consumer = app.connectMicroservice<MicroserviceOptions>(
    kafkaConsumerStrategy({
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      groupId: config.KAFKA_GROUP_ID,
      partitionsConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
    }),
    { inheritAppConfig: true },
  );
  const consumerState = app.get(KafkaConsumerState);
  consumer.status.subscribe((status) => consumerState.update(String(status)));
  return app;
}

// The OpenAPI pages are static but large: a budget per client address keeps them from being a
// cheap amplifier. They bypass Nest's guards (Swagger serves them from Express directly), and being
// the same on every instance they need no shared count: each instance keeps its own.
const DOCS_REQUESTS_PER_MINUTE = 60;
const MINUTE_MS = 60_000;

function docsRateLimit() {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const now = Date.now();
    if (windows.size > 10_000) {
      for (const [address, window] of windows) if (window.resetAt <= now) windows.delete(address);
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    let window = windows.get(address);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + MINUTE_MS };
      windows.set(address, window);
    }
    window.count += 1;
    if (window.count <= DOCS_REQUESTS_PER_MINUTE) return next();
    const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
    res.end(
      JSON.stringify({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `at most ${DOCS_REQUESTS_PER_MINUTE} documentation requests per minute`,
        retryAfterSeconds,
      }),
    );
  };
}

export async function startServiceApp(app: INestApplication, config: ServiceConfig): Promise<void> {
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  await app.get(MetricsServer).listen(config.METRICS_PORT, config.HOST);
}

/**
 * The process entry point of a service: fail fast on bad configuration with one line naming the
 * variables, then serve until SIGTERM, giving in-flight work SHUTDOWN_TIMEOUT_MS to finish.
 */
export async function runService<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
): Promise<void> {
  let config: Config;
  try {
    config = loadServiceConfig(definition);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', service: definition.service, msg: error.message })}\n`,
      );
      process.exit(78);
    }
    throw error;
  }

  const app = await createServiceApp(definition, config);
  const logger = app.get(Logger);
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down: stopping the consumer, finishing in-flight work', signal });
    setTimeout(() => {
      logger.error({ msg: 'graceful shutdown timed out, exiting', timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    try {
      // Nest closes HTTP and the consumer (which waits for running handlers) before the
      // shutdown hooks close Postgres and Redis, so in-flight work still has its connections.
      await app.close();
      await stopTracing();
      process.exit(0);
    } catch (error) {
      logger.error({ msg: 'shutdown failed', err: error });
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, (received) => void shutdown(received));
  await startServiceApp(app, config);
  logger.log({
    msg: `${definition.service} ready to serve`,
    port: config.PORT,
    metricsPort: config.METRICS_PORT,
    host: config.HOST,
  });
}
