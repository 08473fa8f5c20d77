import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@tongban/auth';
import { Registry } from 'prom-client';
import { SERVICE_METRICS, VALIDATION_METRICS } from './service-metrics';

/** Prometheus scrape endpoint: the service's metrics (messaging's included) and validation's. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_METRICS) private readonly service: Registry) {}

  @Get()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    // Merged per scrape: modules keep registering metrics while the application starts.
    return Registry.merge([this.service, VALIDATION_METRICS]).metrics();
  }
}
