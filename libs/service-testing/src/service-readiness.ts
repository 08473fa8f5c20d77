import type { ServiceConfig } from '@tongban/runtime';
import type { TopicName } from '@tongban/contracts';
import type { ServiceDefinition } from '@tongban/runtime';
import {
  connectTestProducer,
  expectEventually,
  sampleEvent,
  startBroker,
  stopBroker,
} from '@tongban/testing';
import { bootService, type BootedService } from './service-harness';

interface ReadyBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

async function getReady(baseUrl: string): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${baseUrl}/health/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

async function consumedCount(service: BootedService<ServiceConfig>, eventId: string): Promise<number> {
  const rows: unknown[] = await service.dataSource.query(
    'SELECT 1 FROM processed_events WHERE event_id = $1',
    [eventId],
  );
  return rows.length;
}

/**
 * The shared contract of every service's boot: live and ready with real dependencies, not ready
 * (503, naming Kafka) while the broker is stopped, and consuming again once it is back.
 */
export function describeServiceBoot<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  inputTopic: TopicName,
  /** Variables the service needs beyond the test stack's (e.g. its provider's credentials). */
  env: Record<string, string> = {},
): void {
  describe(`${definition.service} service boot`, () => {
    let service: BootedService<Config>;

    beforeAll(async () => {
      service = await bootService(definition, env);
    }, 60000);

    afterAll(async () => {
      await service?.close();
    });

    it('answers /health/live', async () => {
      const response = await fetch(`${service.baseUrl}/health/live`);
      expect(response.status).toBe(200);
    });

    it('serves its OpenAPI document', async () => {
      const response = await fetch(`${service.baseUrl}/docs/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    });

    it('serves metrics only on its metrics port, and says nothing about its framework', async () => {
      const api = await fetch(`${service.baseUrl}/metrics`);
      expect(api.status).toBe(404);
      expect(api.headers.get('x-powered-by')).toBeNull();
      const scrape = await fetch(service.metricsUrl);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('tongban_http_request_duration_seconds');
    });

    it('throttles its OpenAPI pages per client address, with Retry-After', async () => {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 80 && !limited; i++) {
        const response = await fetch(`${service.baseUrl}/docs/openapi.json`);
        statuses.push(response.status);
        if (response.status === 429) limited = response;
        else await response.arrayBuffer();
      }
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
      expect(limited?.status).toBe(429);
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('is ready with Postgres, Kafka and Redis up, 503 while the broker is stopped, and recovers', async () => {
      const ready = await expectEventually(async () => {
        const result = await getReady(service.baseUrl);
        expect(result.status).toBe(200);
        return result.body;
      });
      expect(ready.info).toMatchObject({
        postgres: { status: 'up' },
        kafka: { status: 'up' },
        redis: { status: 'up', reachable: true },
      });

      await stopBroker();
      try {
        const down = await expectEventually(async () => {
          const result = await getReady(service.baseUrl);
          expect(result.status).toBe(503);
          return result.body;
        });
        expect(down.error?.['kafka']?.status).toBe('down');
        expect(down.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
      } finally {
        await startBroker();
      }

      await expectEventually(async () => expect((await getReady(service.baseUrl)).status).toBe(200), {
        timeoutMs: 60000,
      });

      const producer = await connectTestProducer();
      const event = sampleEvent(inputTopic);
      try {
        await producer.send({
          topic: inputTopic,
          acks: -1,
          messages: [{ key: event.caseId, value: JSON.stringify(event) }],
        });
      } finally {
        await producer.disconnect();
      }
      await expectEventually(async () => expect(await consumedCount(service, event.eventId)).toBe(1), {
        timeoutMs: 90000,
      });
    }, 240000);
  });
}
