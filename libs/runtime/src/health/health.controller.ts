import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@tongban/auth';
import type { ServiceConfig } from '../service-config-schema';
import { InjectServiceConfig } from '../service-config';
import { KafkaHealthIndicator } from './kafka.health';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
// Probes come from the orchestrator, without a token and every few seconds.
@Public()
@SkipThrottle({ default: true, anonymous: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @InjectServiceConfig() private readonly config: ServiceConfig,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up and its event loop answers; dependencies are not checked.' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Postgres and Kafka answer; 503 with the failing ones otherwise. Redis is reported (reachable: false while it is down) but never fails readiness.',
  })
  ready() {
    const timeout = this.config.HEALTH_TIMEOUT_MS;
    return this.health.check([
      () => this.postgres.pingCheck('postgres', { timeout }),
      () =>
        this.kafka.check('kafka', {
          brokers: this.config.KAFKA_BROKERS,
          clientId: this.config.KAFKA_CLIENT_ID,
          timeoutMs: timeout,
        }),
      () => this.redis.check('redis', timeout),
    ]);
  }
}
