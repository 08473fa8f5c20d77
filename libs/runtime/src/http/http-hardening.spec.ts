import {
  Body,
  Controller,
  Get,
  HttpException,
  HttpStatus,
  type INestApplication,
  type LoggerService,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Post,
  Query,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { ValidationPipe } from '../validation/validation.pipe';
import { SafeExceptionFilter } from './safe-exception.filter';
import { StrictJsonBodyMiddleware } from './strict-json-body';

// Synthetic values that must never reach a log line.
const NAME = '测试申请人';
const CIPHERTEXT = 'v1:k1:c2VjcmV0LWNpcGhlcnRleHQ';
const HASH = 'hash-5f1c0e2a';

@Controller()
class ProbeController {
  @Get('boom')
  boom(@Query('name') name: string): never {
    throw new QueryFailedError(
      `INSERT INTO cases (name, phone_ciphertext, phone_hash) VALUES ($1, $2, $3)`,
      [name, CIPHERTEXT, HASH],
      Object.assign(new Error(`invalid byte sequence for encoding "UTF8": "${name}"`), {
        code: '22021',
        detail: `Key (phone_hash)=(${HASH}) already exists.`,
        table: 'cases',
      }),
    );
  }

  @Get('limited')
  limited(): never {
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: 'slow down', retryAfterSeconds: 42 },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  @Get('database-down')
  databaseDown(@Query('name') name: string): never {
    throw new QueryFailedError(
      'SELECT * FROM cases WHERE name = $1',
      [name],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
  }

  @Get('database-refused')
  databaseRefused(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { received: body ?? null };
  }
}

@Module({
  controllers: [ProbeController],
  providers: [
    { provide: APP_PIPE, useClass: ValidationPipe },
    { provide: APP_FILTER, useClass: SafeExceptionFilter },
  ],
})
class ProbeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(StrictJsonBodyMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]): void {
    this.lines.push(JSON.stringify(args));
  }
  error(...args: unknown[]): void {
    this.lines.push(JSON.stringify(args));
  }
  warn(...args: unknown[]): void {
    this.lines.push(JSON.stringify(args));
  }
}

describe('HTTP hardening: safe 500s, Retry-After on every 429, strict JSON bodies', () => {
  let app: INestApplication;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers a database error with a bare 500 and logs neither the query string nor the SQL parameters', async () => {
    const response = await request(app.getHttpServer())
      .get('/boom')
      .query({ name: NAME, phoneLast4: '1234' })
      .expect(500);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    const logged = logger.lines.join('\n');
    expect(logged).toContain('QueryFailedError');
    expect(logged).toContain('22021');
    expect(logged).toContain('/boom');
    for (const secret of [NAME, encodeURIComponent(NAME), CIPHERTEXT, HASH, 'phoneLast4', 'INSERT INTO'])
      expect(logged).not.toContain(secret);
  });

  it('sets Retry-After on a 429 whose body says when to retry', async () => {
    const response = await request(app.getHttpServer()).get('/limited').expect(429);
    expect(response.headers['retry-after']).toBe('42');
    expect(response.body).toMatchObject({ retryAfterSeconds: 42 });
  });

  it.each([
    ['a connection terminated by a restart', '/database-down'],
    ['a refused connection', '/database-refused'],
  ])('answers %s with 503 and Retry-After, naming no SQL parameter', async (_what, path) => {
    const response = await request(app.getHttpServer()).get(path).query({ name: NAME }).expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ statusCode: 503, retryAfterSeconds: 5 });
    expect(response.body.message).toContain('nothing was changed');
    expect(logger.lines.join('\n')).not.toContain(NAME);
  });

  it('parses a UTF-8 JSON body and lets a request without a body through', async () => {
    await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: NAME }))
      .expect(201, { received: { name: NAME } });
    await request(app.getHttpServer()).post('/echo').expect(201, { received: null });
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', Buffer.from('name=x'), 415, 'content-type'],
    ['text', 'text/plain', Buffer.from('{"name":"x"}'), 415, 'content-type'],
    ['another charset', 'application/json; charset=gbk', Buffer.from('{"name":"x"}'), 415, 'content-type'],
    [
      'invalid UTF-8',
      'application/json',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      400,
      '(body)',
    ],
    ['broken JSON', 'application/json', Buffer.from('{"name":'), 400, '(body)'],
    ['a bare JSON number', 'application/json', Buffer.from('42'), 400, '(body)'],
  ])('refuses %s naming the field', async (_what, contentType, body, status, field) => {
    // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON).
    const url = `${await app.getUrl()}/echo`.replace('[::1]', '127.0.0.1');
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { issues: unknown[] }).issues).toEqual([
      expect.objectContaining({ field }),
    ]);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(200 * 1024) });
    await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
  });

  it('refuses NUL and lone surrogates anywhere in a body or query with 400 naming the field', async () => {
    const response = await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ a: { b: ['ok', 'x\u0000'] }, c: '\ud800' }))
      .expect(400);
    expect(response.body.issues).toEqual([
      { field: 'a.b.1', reason: 'must not contain NUL characters' },
      { field: 'c', reason: 'must be valid Unicode text (no unpaired surrogates)' },
    ]);
  });
});
