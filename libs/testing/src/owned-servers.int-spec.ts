import Redis from 'ioredis';
import { Client } from 'pg';
import { OwnedPostgres, OwnedRedis } from './owned-servers';

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

describe('servers a test owns', () => {
  it('PostgreSQL keeps committed rows through a SIGKILL (crash recovery) and a fast restart', async () => {
    const pg = await OwnedPostgres.create(55491);
    try {
      await query(pg.url, 'CREATE TABLE kept (n int)');
      await query(pg.url, 'INSERT INTO kept SELECT generate_series(1, 100)');
      await pg.kill();
      await expect(query(pg.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
      await pg.start();
      expect(pg.log()).toMatch(/not properly shut down; automatic recovery in progress/);
      expect(await query<{ n: string }>(pg.url, 'SELECT count(*) AS n FROM kept')).toEqual([{ n: '100' }]);
      await pg.stopFast();
      await pg.start();
      expect(await query<{ n: string }>(pg.url, 'SELECT count(*) AS n FROM kept')).toEqual([{ n: '100' }]);
    } finally {
      await pg.destroy();
    }
  }, 180000);

  it('Redis comes back empty after a SIGKILL, on the same port', async () => {
    const redis = await OwnedRedis.create(56391);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    try {
      await client.set('kept', 'no');
      await redis.kill();
      await expect(client.get('kept')).rejects.toThrow();
      await redis.start();
      const probe = new Redis(redis.url);
      expect(await probe.get('kept')).toBeNull();
      probe.disconnect();
    } finally {
      client.disconnect();
      await redis.destroy();
    }
  }, 60000);
});
