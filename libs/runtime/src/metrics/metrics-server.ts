import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Registry } from 'prom-client';
import { SERVICE_METRICS, VALIDATION_METRICS } from './service-metrics';

/**
 * The Prometheus scrape endpoint, on a port of its own (METRICS_PORT) apart from the API, so only
 * what the network lets reach that port (Prometheus) reads the metrics, and a scrape, which runs
 * SQL in some services, is not an unauthenticated, unthrottled route of the public API.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private server: Server | undefined;

  constructor(@Inject(SERVICE_METRICS) private readonly service: Registry) {}

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      // Merged per scrape: modules keep registering metrics while the application starts.
      Registry.merge([this.service, VALIDATION_METRICS])
        .metrics()
        .then(
          (text) => res.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE }).end(text),
          () => res.writeHead(500).end(),
        );
    });
    server.listen(port, host);
    await once(server, 'listening');
    this.server = server;
  }

  /** The scrape URL (the bound port, also when METRICS_PORT is 0). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the metrics server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}/metrics`;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
