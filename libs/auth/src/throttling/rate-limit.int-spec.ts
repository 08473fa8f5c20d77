import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Controller, Get, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { expectEventually } from '@tongban/testing';
import Redis from 'ioredis';
import request from 'supertest';
import type { Actor } from '../actor';
import { AuthModule, type AuthModuleOptions } from '../auth.module';
import { CurrentActor } from '../decorators/current-actor.decorator';
import type { SigningKey } from '../dev/dev-auth-keys';
import { mintDevToken } from '../dev/mint-dev-token';
import { ResilientThrottlerStorage } from './resilient-throttler.storage';

const LIMIT = 5;
const ISSUER = 'https://idp.tongban.test';
const AUDIENCE = 'tongban';

@Controller('whoami')
class WhoAmIController {
  @Get()
  whoami(@CurrentActor() actor: Actor) {
    return { sub: actor.sub };
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A throwaway redis-server of this suite's own, so it can be killed without harming others. */
class RedisServer {
  private process: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await expectEventually(
      async () => {
        const probe = new Redis(this.url, {
          lazyConnect: true,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          expect(await probe.ping()).toBe('PONG');
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 10000, intervalMs: 50 },
    );
  }

  async kill(): Promise<void> {
    const running = this.process;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }

  /** The process keeps its connections open but answers nothing: a hung Redis. */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }
}

/** Keeps the warnings, to count outage reports; everything else is dropped. */
class RecordingLogger implements LoggerService {
  readonly warnings: unknown[] = [];
  log(): void {
    return undefined;
  }
  error(): void {
    return undefined;
  }
  warn(message: unknown): void {
    this.warnings.push(message);
  }
}

describe('rate limiting with Redis storage and the Redis-down fallback', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey: SigningKey = { alg: 'ES256', privateKey: keys.privateKey };
  const logger = new RecordingLogger();
  let redis: RedisServer;
  let first: INestApplication;
  let second: INestApplication;
  let subjects = 0;

  const options = (): AuthModuleOptions => ({
    jwt: {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      clockToleranceSeconds: 30,
      maxLifetimeSeconds: 12 * 3600,
      publicKeys: [keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    },
    rateLimit: {
      redisUrl: redis.url,
      keyPrefix: 'tongban:test',
      limit: LIMIT,
      anonymousLimit: LIMIT,
      windowMs: 60000,
      redisTimeoutMs: 150,
    },
  });

  async function startApp(): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(options())],
      controllers: [WhoAmIController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    return app;
  }

  /** A token for a subject no earlier request used, so every check starts from a zero count. */
  async function freshToken(): Promise<string> {
    subjects += 1;
    const actor: Actor = { sub: `staff-${subjects}`, role: 'office_staff', officeId: '440306001' };
    return mintDevToken(actor, signingKey, { issuer: ISSUER, audience: AUDIENCE });
  }

  // A hang fails the test instead of passing late: every answer must come within seconds.
  const call = (app: INestApplication, token: string) =>
    request(app.getHttpServer())
      .get('/whoami')
      .set('Authorization', `Bearer ${token}`)
      .timeout({ response: 3000, deadline: 4000 });

  const storageOf = (app: INestApplication) => app.get(ResilientThrottlerStorage);

  async function statuses(app: INestApplication, token: string, count: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i += 1) seen.push((await call(app, token)).status);
    return seen;
  }

  const withinLimit = Array.from({ length: LIMIT }, () => 200);

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    [first, second] = [await startApp(), await startApp()];
  });

  afterAll(async () => {
    redis?.thaw();
    await first?.close();
    await second?.close();
    await redis?.kill();
  });

  it('answers 429 with Retry-After and a JSON body once a subject exceeds the limit', async () => {
    const token = await freshToken();
    expect(await statuses(first, token, LIMIT)).toEqual(withinLimit);
    const limited = await call(first, token).expect(429).expect('Content-Type', /json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit of ${LIMIT} requests per 60 s exceeded`,
      retryAfterSeconds: Number(limited.headers['retry-after']),
    });
    expect(storageOf(first).usingRedis).toBe(true);
  });

  it('shares one budget between two instances through Redis', async () => {
    const token = await freshToken();
    expect(await statuses(first, token, 3)).toEqual([200, 200, 200]);
    expect(await statuses(second, token, 2)).toEqual([200, 200]);
    // Neither instance has seen more than 3 requests itself: only the shared count says 6 > 5.
    await call(second, token).expect(429);
    await call(first, token).expect(429);
    const probe = new Redis(redis.url);
    try {
      expect(await probe.keys('{tongban:test:default:*')).not.toHaveLength(0);
    } finally {
      probe.disconnect();
    }
  });

  it('keeps answering while Redis is down, limits each instance on its own, and warns once', async () => {
    await redis.kill();
    const token = await freshToken();
    expect(await statuses(first, token, LIMIT)).toEqual(withinLimit);
    await call(first, token).expect(429).expect('Retry-After', /^\d+$/);
    expect(storageOf(first).usingRedis).toBe(false);
    const outageWarnings = logger.warnings.filter((w) => JSON.stringify(w).includes('Redis unavailable'));
    expect(outageWarnings).toHaveLength(1);
    expect(JSON.stringify(outageWarnings)).not.toMatch(/staff-|Bearer|whoami/);
  });

  it('goes back to the shared counts once Redis is back', async () => {
    await redis.start();
    for (const app of [first, second]) {
      await expectEventually(
        async () => {
          await call(app, await freshToken()).expect(200);
          expect(storageOf(app).usingRedis).toBe(true);
        },
        { timeoutMs: 15000, intervalMs: 200 },
      );
    }
    const token = await freshToken();
    expect(await statuses(first, token, 3)).toEqual([200, 200, 200]);
    expect(await statuses(second, token, 2)).toEqual([200, 200]);
    await call(second, token).expect(429);
  });

  it('answers promptly while Redis holds connections open but never replies', async () => {
    redis.freeze();
    try {
      const token = await freshToken();
      expect(await statuses(first, token, LIMIT)).toEqual(withinLimit);
      await call(first, token).expect(429);
    } finally {
      redis.thaw();
    }
  });
});
