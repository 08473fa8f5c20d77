import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { expectEventually, testEnvironment } from '@tongban/testing';
import type Redis from 'ioredis';
import { createRedisClient, REDIS_CLIENT, RedisModule } from './redis.module';

describe('RedisModule on the real Redis', () => {
  it('provides a client that stores and expires keys, and quits on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RedisModule.forRoot({ url: testEnvironment().redisUrl, connectionName: 'tongban-test' })],
    }).compile();
    moduleRef.enableShutdownHooks();
    const redis = moduleRef.get<Redis>(REDIS_CLIENT);
    const key = `tongban:test:${randomUUID()}`;
    await redis.set(key, 'value', 'PX', 60000);
    expect(await redis.get(key)).toBe('value');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
    await moduleRef.close();
    await expectEventually(() => expect(redis.status).toBe('end'), { timeoutMs: 5000 });
  });

  it('fails a command instead of holding it while Redis is unreachable', async () => {
    // Port 1 on loopback refuses connections: nothing listens there.
    const redis = createRedisClient('redis://127.0.0.1:1', 'tongban-test-unreachable');
    redis.on('error', () => undefined);
    try {
      await expect(redis.get('anything')).rejects.toThrow(/Command timed out|max retries per request/i);
    } finally {
      redis.disconnect();
    }
    // A queued command would hang until this test's own timeout fails it.
  }, 10000);
});
