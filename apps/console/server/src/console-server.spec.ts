import request from 'supertest';
import { type DevAuthKeys } from '@tongban/auth';
import { loadConsoleConfig } from './console-config';
import { createConsoleServer } from './console-server';

describe('console server', () => {
  it('refuses the development sign-in in production', async () => {
    const app = createConsoleServer(loadConsoleConfig({ NODE_ENV: 'production' }, '/nowhere'));
    await request(app).get('/console-api/dev/users').expect(403);
    await request(app).post('/console-api/dev/sign-in').send({ userId: 'staff-xinan' }).expect(403);
    expect((await request(app).get('/console-api/settings').expect(200)).body).toMatchObject({
      devSignIn: false,
    });
  });

  it('answers 400 naming the field for a user that is not seeded', async () => {
    const keys = {} as DevAuthKeys;
    const app = createConsoleServer(loadConsoleConfig({}, '/nowhere'), keys);
    const answer = await request(app).post('/console-api/dev/sign-in').send({ userId: 'nobody' }).expect(400);
    expect(answer.body.issues).toEqual([{ field: 'userId', reason: 'must be one of the seeded users' }]);
  });

  it('serves the catalogue of what an office may accept', async () => {
    const app = createConsoleServer(loadConsoleConfig({}, '/nowhere'));
    const answer = await request(app).get('/console-api/catalogue?officeId=440306001').expect(200);
    expect(answer.body.items.map((item: { code: string }) => item.code)).toContain('RS-SYBXJ-001');
    expect(answer.body.offices.length).toBeGreaterThan(0);
  });

  it('is not ready without the built console', async () => {
    await request(createConsoleServer(loadConsoleConfig({}, '/nowhere')))
      .get('/health/ready')
      .expect(503);
  });
});
