import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyMetrics } from './dependency-metrics';
import { HealthController } from './health.controller';
import { KafkaConsumerState } from './kafka-consumer-state';
import { KafkaHealthIndicator } from './kafka.health';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [KafkaConsumerState, KafkaHealthIndicator, RedisHealthIndicator, DependencyMetrics],
  exports: [KafkaConsumerState],
})
export class HealthModule {}
