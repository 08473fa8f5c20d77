import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, NotFoundException, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { exportJWK, SignJWT } from 'jose';
import request from 'supertest';
import type { Actor } from './actor';
import { AuthModule, type AuthModuleOptions } from './auth.module';
import { CurrentActor } from './decorators/current-actor.decorator';
import { Public } from './decorators/public.decorator';
import { AllowOperatorWrite, Roles } from './decorators/roles.decorator';
import type { SigningKey } from './dev/dev-auth-keys';
import { mintDevToken } from './dev/mint-dev-token';
import { assertInScope } from './scope/actor-scope';

const ISSUER = 'https://idp.tongban.test/realms/staff';
const AUDIENCE = 'tongban';

const CASES = [
  { id: 'case-xinan', officeId: '440306001', item: '灵活就业人员参保登记', applicantName: '张三' },
  { id: 'case-luohu', officeId: '440303001', item: '个体工商户设立登记', applicantName: '李四' },
];

@Controller('cases')
class CasesController {
  @Get(':id')
  read(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const found = CASES.find((c) => c.id === id);
    if (!found) throw new NotFoundException();
    assertInScope(actor, { officeId: found.officeId });
    return found;
  }

  @Post()
  @Roles('office_staff')
  submit(@CurrentActor() actor: Actor) {
    return { submittedBy: actor.sub };
  }

  @Post('dead-letters/replay')
  @Roles('operator', 'admin')
  @AllowOperatorWrite()
  replay(@CurrentActor() actor: Actor) {
    return { replayedBy: actor.sub };
  }
}

@Controller('queue')
@Roles('reviewer')
class QueueController {
  @Get()
  list(@CurrentActor() actor: Actor) {
    return { actor };
  }
}

@Public()
@Controller('health')
class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

function rsaKeyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function pem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token built by hand, for what no well-behaved library would sign. */
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

const validClaims = () => ({
  sub: 'staff-xinan',
  role: 'office_staff',
  office_id: '440306001',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 600,
});

async function startApp(options: AuthModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot(options)],
    controllers: [CasesController, QueueController, HealthController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

function options(
  jwt: Partial<AuthModuleOptions['jwt']>,
  limit = 1000,
  anonymousLimit = limit,
): AuthModuleOptions {
  return {
    jwt: {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 30,
      maxLifetimeSeconds: 12 * 3600,
      ...jwt,
    },
    rateLimit: {
      redisUrl: null,
      keyPrefix: 'tongban:test',
      limit,
      anonymousLimit,
      windowMs: 60000,
      redisTimeoutMs: 150,
    },
  };
}

const xinanStaff: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' };
const operator: Actor = { sub: 'operator', role: 'operator' };
const reviewer: Actor = {
  sub: 'reviewer-rsj',
  role: 'reviewer',
  departmentId: '440306-rsj',
  supervisor: false,
};

describe('AuthModule with PEM public keys', () => {
  const issuerKeys = rsaKeyPair();
  const signingKey: SigningKey = { alg: 'RS256', privateKey: issuerKeys.privateKey };
  const publicKeyPem = pem(issuerKeys.publicKey);
  const mint = (actor: Actor, extra: Parameters<typeof mintDevToken>[2] = {}) =>
    mintDevToken(actor, signingKey, { issuer: ISSUER, audience: AUDIENCE, ...extra });
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(options({ publicKeys: [publicKeyPem] }));
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  it('answers a valid token with 200 and the actor it names', async () => {
    const response = await get('/cases/case-xinan', await mint(xinanStaff)).expect(200);
    expect(response.body).toMatchObject({ id: 'case-xinan', officeId: '440306001' });
  });

  it('lets anyone reach a @Public() route without a token', async () => {
    await get('/health/live').expect(200, { status: 'ok' });
  });

  it('answers 401 with a JSON body and a Bearer challenge when the token is missing', async () => {
    const response = await get('/cases/case-xinan').expect(401).expect('Content-Type', /json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="tongban"');
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'a bearer token is required',
      reason: 'missing',
    });
  });

  it.each([
    ['not a JWT', 'abc.def'],
    ['garbage segments', 'a.b.c'],
  ])('answers 401 for a malformed token (%s)', async (_case, token) => {
    const response = await get('/cases/case-xinan', token).expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, reason: 'malformed' });
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('answers 401 for a scheme other than Bearer', async () => {
    const token = await mint(xinanStaff);
    const response = await request(app.getHttpServer())
      .get('/cases/case-xinan')
      .set('Authorization', `Basic ${token}`)
      .expect(401);
    expect(response.body).toMatchObject({ reason: 'malformed' });
  });

  it('answers 401 for an expired token, beyond the clock tolerance', async () => {
    const token = await mint(xinanStaff, { issuedAt: new Date(Date.now() - 3600_000), ttlSeconds: 600 });
    const response = await get('/cases/case-xinan', token).expect(401);
    expect(response.body).toMatchObject({ reason: 'expired', message: 'the bearer token has expired' });
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const token = await mint(xinanStaff, { issuedAt: new Date(Date.now() - 610_000), ttlSeconds: 600 });
    await get('/cases/case-xinan', token).expect(200);
  });

  it('answers 401 for a token that is not valid yet', async () => {
    const token = await mint(xinanStaff, { notBefore: new Date(Date.now() + 600_000) });
    const response = await get('/cases/case-xinan', token).expect(401);
    expect(response.body).toMatchObject({ reason: 'not_yet_valid' });
  });

  it('answers 401 for a token issued (iat) beyond the clock tolerance in the future', async () => {
    const token = await mint(xinanStaff, { issuedAt: new Date(Date.now() + 365 * 24 * 3600_000) });
    const response = await get('/cases/case-xinan', token).expect(401);
    expect(response.body).toMatchObject({ reason: 'not_yet_valid' });
  });

  it('accepts a token issued within the clock tolerance in the future', async () => {
    const token = await mint(xinanStaff, { issuedAt: new Date(Date.now() + 20_000) });
    await get('/cases/case-xinan', token).expect(200);
  });

  it('answers 401 for a token living longer than the maximum lifetime (exp in year 3000)', async () => {
    const until3000 = Math.floor(Date.UTC(3000, 0, 1) / 1000) - nowSeconds();
    const token = await mint(xinanStaff, { ttlSeconds: until3000 });
    const response = await get('/cases/case-xinan', token).expect(401);
    expect(response.body).toMatchObject({
      reason: 'too_long_lived',
      message: 'the bearer token lives longer than this service accepts',
    });
    const justOver = await mint(xinanStaff, { ttlSeconds: 12 * 3600 + 1 });
    expect((await get('/cases/case-xinan', justOver).expect(401)).body).toMatchObject({
      reason: 'too_long_lived',
    });
    await get('/cases/case-xinan', await mint(xinanStaff, { ttlSeconds: 12 * 3600 })).expect(200);
  });

  it('answers 401 for a token without iat', async () => {
    const claims: Partial<ReturnType<typeof validClaims>> = validClaims();
    delete claims.iat;
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(issuerKeys.privateKey);
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for a token from another issuer', async () => {
    const token = await mint(xinanStaff, { issuer: 'https://evil.example' });
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for a token meant for another audience', async () => {
    const token = await mint(xinanStaff, { audience: 'another-system' });
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for an unsigned token (alg "none")', async () => {
    const token = handMade({ alg: 'none', typ: 'JWT' }, validClaims(), () => '');
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for HS256 signed with the public key PEM as the secret (algorithm confusion)', async () => {
    const token = handMade({ alg: 'HS256', typ: 'JWT' }, validClaims(), (input) =>
      createHmac('sha256', publicKeyPem).update(input).digest('base64url'),
    );
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for a token signed by another key', async () => {
    const stranger: SigningKey = { alg: 'RS256', privateKey: rsaKeyPair().privateKey };
    const token = await mintDevToken(xinanStaff, stranger, { issuer: ISSUER, audience: AUDIENCE });
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 when the claims do not make a principal (office staff without an office)', async () => {
    const claims: Partial<ReturnType<typeof validClaims>> = validClaims();
    delete claims.office_id;
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(issuerKeys.privateKey);
    expect((await get('/cases/case-xinan', token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 401 for an unknown role', async () => {
    const token = await new SignJWT({ ...validClaims(), role: 'superuser' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(issuerKeys.privateKey);
    await get('/cases/case-xinan', token).expect(401);
  });

  it('answers 403 for a role the route is not open to', async () => {
    const response = await get('/queue', await mint(xinanStaff)).expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'this action is open to: reviewer',
    });
    await get('/queue', await mint(reviewer)).expect(200);
  });

  it("answers 404 for another office's case and reveals none of it", async () => {
    const response = await get('/cases/case-luohu', await mint(xinanStaff)).expect(404);
    expect(response.body).toEqual({ statusCode: 404, message: 'Not Found' });
    expect(JSON.stringify(response.body)).not.toMatch(/440303001|个体工商户|李四/);
    // Indistinguishable from a case that does not exist at all.
    const missing = await get('/cases/no-such-case', await mint(xinanStaff)).expect(404);
    expect(missing.body).toEqual(response.body);
  });

  it('keeps operators read-only unless the handler allows operator writes', async () => {
    const token = await mint(operator);
    await get('/cases/case-luohu', token).expect(200);
    const post = (path: string) =>
      request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${token}`);
    await post('/cases').expect(403);
    const replay = await post('/cases/dead-letters/replay').expect(201);
    expect(replay.body).toEqual({ replayedBy: 'operator' });
  });

  it('lets office staff submit', async () => {
    const response = await request(app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${await mint(xinanStaff)}`)
      .expect(201);
    expect(response.body).toEqual({ submittedBy: 'staff-xinan' });
  });

  it('accepts any of several PEM keys, as during a key rotation', async () => {
    const next = rsaKeyPair();
    const rotating = await startApp(options({ publicKeys: [publicKeyPem, pem(next.publicKey)] }));
    try {
      for (const privateKey of [issuerKeys.privateKey, next.privateKey]) {
        const token = await mintDevToken(
          xinanStaff,
          { alg: 'RS256', privateKey, kid: 'ignored-for-pem' },
          {
            issuer: ISSUER,
            audience: AUDIENCE,
          },
        );
        await request(rotating.getHttpServer())
          .get('/cases/case-xinan')
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
      }
    } finally {
      await rotating.close();
    }
  });
});

describe('AuthModule with a JWKS endpoint', () => {
  const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey: SigningKey = { alg: 'ES256', privateKey: current.privateKey, kid: 'key-2025' };
  let jwks: Server;
  let jwksUrl: string;
  let app: INestApplication;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(current.publicKey)), kid: 'key-2025', alg: 'ES256', use: 'sig' };
    jwks = createServer((_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    app = await startApp(options({ jwksUrl }));
  });

  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const call = (target: INestApplication, token: string) =>
    request(target.getHttpServer()).get('/cases/case-xinan').set('Authorization', `Bearer ${token}`);

  it('verifies tokens with the keys the identity provider publishes', async () => {
    const token = await mintDevToken(xinanStaff, signingKey, { issuer: ISSUER, audience: AUDIENCE });
    await call(app, token).expect(200);
  });

  it('answers 401 for a token whose key the identity provider does not publish', async () => {
    const forged: SigningKey = {
      alg: 'ES256',
      privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      kid: 'key-2025',
    };
    const token = await mintDevToken(xinanStaff, forged, { issuer: ISSUER, audience: AUDIENCE });
    expect((await call(app, token).expect(401)).body).toMatchObject({ reason: 'invalid' });
  });

  it('answers 503, not 401, while the JWKS endpoint cannot be reached', async () => {
    const unreachable = await startApp(options({ jwksUrl: 'http://127.0.0.1:1/jwks.json' }));
    try {
      const token = await mintDevToken(xinanStaff, signingKey, { issuer: ISSUER, audience: AUDIENCE });
      const response = await call(unreachable, token).expect(503);
      expect(response.body).toMatchObject({ statusCode: 503, reason: 'keys_unavailable' });
    } finally {
      await unreachable.close();
    }
  });
});

describe('rate limiting in process', () => {
  const keys = rsaKeyPair();
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(options({ publicKeys: [pem(keys.publicKey)] }, 3));
  });

  afterAll(async () => {
    await app.close();
  });

  const tokenFor = (sub: string) =>
    mintDevToken(
      { ...xinanStaff, sub },
      { alg: 'RS256', privateKey: keys.privateKey },
      {
        issuer: ISSUER,
        audience: AUDIENCE,
      },
    );

  it('gives each subject its own budget and answers 429 with Retry-After beyond it', async () => {
    const [first, second] = [await tokenFor('staff-a'), await tokenFor('staff-b')];
    const get = (token: string) =>
      request(app.getHttpServer()).get('/cases/case-xinan').set('Authorization', `Bearer ${token}`);
    for (let i = 0; i < 3; i += 1) await get(first).expect(200);
    const limited = await get(first).expect(429).expect('Content-Type', /json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    await get(second).expect(200);
  });

  it('counts requests without a valid token per client address', async () => {
    const bad = () =>
      request(app.getHttpServer()).get('/cases/case-xinan').set('Authorization', 'Bearer not.a.token');
    for (let i = 0; i < 3; i += 1) await bad().expect(401);
    await bad().expect(429);
  });
});

describe('rate limiting: public routes count apart from staff routes', () => {
  const keys = rsaKeyPair();
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(options({ publicKeys: [pem(keys.publicKey)] }, 3, 2));
  });

  afterAll(async () => {
    await app.close();
  });

  const staff = () =>
    mintDevToken(
      xinanStaff,
      { alg: 'RS256', privateKey: keys.privateKey },
      { issuer: ISSUER, audience: AUDIENCE },
    );

  it('lets anonymous callers from one address spend only the anonymous budget, never a staff budget', async () => {
    const anonymous = () => request(app.getHttpServer()).get('/health/live');
    for (let i = 0; i < 2; i += 1) await anonymous().expect(200);
    const limited = await anonymous().expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ message: 'rate limit of 2 requests per 60 s exceeded' });

    // The same address, on staff routes: its own budgets, untouched by the anonymous requests.
    const token = await staff();
    for (let i = 0; i < 3; i += 1)
      await request(app.getHttpServer())
        .get('/cases/case-xinan')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
    await request(app.getHttpServer())
      .get('/cases/case-xinan')
      .set('Authorization', 'Bearer bad')
      .expect(401);
  });
});
