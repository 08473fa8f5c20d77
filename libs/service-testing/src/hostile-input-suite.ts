import type { INestApplication } from '@nestjs/common';
import { TOPICS } from '@tongban/contracts';
import type { ServiceConfig, ServiceDefinition } from '@tongban/runtime';
import {
  HOSTILE_CURSORS,
  HOSTILE_DATES,
  HOSTILE_INSTANTS,
  HOSTILE_STRINGS,
  HOSTILE_URL_VALUES,
  hostileBodies,
  type HostileValue,
  stringPaths,
  withValueAt,
} from '@tongban/testing';
import type { Consumer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { bootService, type BootedService } from './service-harness';

/** One public route with a request it would accept; every part of it is attacked in turn. */
export interface HostileRoute {
  readonly method: 'GET' | 'POST';
  /** With `:name` placeholders for the path parameters, e.g. `/cases/:id/supplements`. */
  readonly path: string;
  /** A dev user allowed on the route (see `npm run token -- --list`); none for a public route. */
  readonly user?: string;
  /** Valid path parameter values. */
  readonly params?: Readonly<Record<string, string>>;
  /** Valid query parameters. */
  readonly query?: Readonly<Record<string, string>>;
  /** A valid body; every string in it is attacked. */
  readonly body?: Record<string, unknown>;
  /** Body fields (dotted paths) or query parameters holding an instant, a date, or the cursor. */
  readonly instants?: readonly string[];
  readonly dates?: readonly string[];
  readonly cursor?: string;
}

interface Attack {
  readonly what: string;
  readonly field: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: { readonly contentType: string; readonly bytes: Buffer };
  readonly status: 400 | 415;
}

interface Answer {
  readonly status: number;
  readonly body: { issues?: { field: string; reason: string }[] } | undefined;
}

function urlOf(route: HostileRoute, params: Readonly<Record<string, string>>): string {
  return route.path.replace(
    /:(\w+)/g,
    (_, name: string) => params[name] ?? encodeURIComponent(route.params?.[name] ?? ''),
  );
}

const jsonBody = (value: unknown) => ({
  contentType: 'application/json',
  bytes: Buffer.from(JSON.stringify(value)),
});

const pathOf = (dotted: string) => dotted.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));

/** Every hostile variant of a route's request: each corpus value in each field. */
function attacksOn(route: HostileRoute): Attack[] {
  const query = route.query ?? {};
  const validBody = route.body ? jsonBody(route.body) : undefined;
  const base = {
    path: urlOf(route, {}),
    query,
    ...(validBody ? { body: validBody } : {}),
    status: 400 as const,
  };
  const attacks: Attack[] = [];
  // A field of `instants`, `dates` or `cursor` is a body field when the route takes a body and the
  // query does not have it.
  const attack = (field: string, value: HostileValue<string>, urlEncoded = false): Attack =>
    field in query || !route.body
      ? {
          ...base,
          what: `${value.name} in ?${field}`,
          field,
          query: { ...query, [field]: urlEncoded ? value.value : encodeURIComponent(value.value) },
        }
      : {
          ...base,
          what: `${value.name} in ${field}`,
          field,
          body: jsonBody(withValueAt(route.body, pathOf(field), value.value)),
        };

  for (const path of route.body ? stringPaths(route.body) : [])
    for (const value of HOSTILE_STRINGS) attacks.push(attack(path.join('.'), value));
  for (const field of Object.keys(query))
    for (const value of HOSTILE_URL_VALUES) attacks.push(attack(field, value, true));
  for (const field of route.instants ?? [])
    for (const value of HOSTILE_INSTANTS) attacks.push(attack(field, value));
  for (const field of route.dates ?? [])
    for (const value of HOSTILE_DATES) attacks.push(attack(field, value));
  if (route.cursor !== undefined)
    for (const value of HOSTILE_CURSORS) attacks.push(attack(route.cursor, value));
  for (const name of Object.keys(route.params ?? {}))
    attacks.push({ ...base, what: `%00 in :${name}`, field: name, path: urlOf(route, { [name]: '%00' }) });
  for (const raw of route.body ? hostileBodies(route.body) : []) {
    attacks.push({
      ...base,
      what: raw.name,
      field: raw.status === 415 ? 'content-type' : '(body)',
      body: { contentType: raw.contentType, bytes: raw.body },
      status: raw.status,
    });
  }
  return attacks;
}

/** Rows per table of the service's database: nothing a refused request did may show here. */
async function rowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const tables = (await dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  )) as { tablename: string }[];
  const counts: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM "${tablename}"`)) as {
      n: number;
    }[];
    counts[tablename] = row?.n ?? 0;
  }
  return counts;
}

// Other suites share the broker: their events must not add rows while the counts are compared.
function pauseConsumers(app: INestApplication): void {
  for (const microservice of app.getMicroservices()) {
    const [, consumer] = (microservice as unknown as { unwrap<T>(): T }).unwrap<[unknown, Consumer | null]>();
    consumer?.pause(Object.values(TOPICS).map((topic) => ({ topic })));
  }
}

async function send(
  service: BootedService<ServiceConfig>,
  route: HostileRoute,
  attack: Attack,
): Promise<Answer> {
  const query = Object.entries(attack.query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${value}`)
    .join('&');
  const token = route.user ? await service.tokenFor(route.user) : undefined;
  const response = await fetch(`${service.baseUrl}${attack.path}${query ? `?${query}` : ''}`, {
    method: route.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(attack.body ? { 'content-type': attack.body.contentType } : {}),
    },
    body: attack.body?.bytes,
  });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = text ? (JSON.parse(text) as Answer['body']) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/**
 * The hostile-input contract of a service's public routes: every corpus value in every field of
 * every route answers 400 (415 for another media type) naming the field, and no table gains or
 * loses a row. Query values are raw (percent-encoded) in the URL where the corpus says so.
 */
export function describeHostileInput<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  routes: readonly HostileRoute[],
  /** Variables the service needs beyond the test stack's (e.g. its provider's credentials). */
  env: Record<string, string> = {},
): void {
  describe(`${definition.service}: hostile input on every public route`, () => {
    let service: BootedService<Config>;

    beforeAll(async () => {
      service = await bootService(definition, {
        // Hundreds of requests from one subject and address: the budgets are not under test here.
        AUTH_RATE_LIMIT_MAX_REQUESTS: '1000000',
        AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS: '1000000',
        LOG_LEVEL: 'silent',
        ...env,
      });
      pauseConsumers(service.app);
    }, 90000);

    afterAll(async () => {
      await service?.close();
    });

    it.each(routes.map((route) => ({ name: `${route.method} ${route.path}`, route })))(
      '$name refuses every hostile value with a 4xx naming the field and stores nothing',
      async ({ route }) => {
        const before = await rowCounts(service.dataSource);
        const wrong: string[] = [];
        for (const attack of attacksOn(route)) {
          const answer = await send(service as unknown as BootedService<ServiceConfig>, route, attack);
          const fields = answer.body?.issues?.map((issue) => issue.field) ?? [];
          if (answer.status !== attack.status || !fields.includes(attack.field)) {
            wrong.push(`${attack.what}: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }
        expect(wrong).toEqual([]);
        expect(await rowCounts(service.dataSource)).toEqual(before);
      },
      120000,
    );
  });
}
