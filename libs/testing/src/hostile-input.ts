/**
 * The hostile-input corpus: values that once reached SQL and answered 500 (issue 16), for the
 * table-driven tests of every service's public routes (see describeHostileInput in
 * @tongban/service-testing). Each must be refused with a 4xx naming the field, storing nothing.
 */

export interface HostileValue<Value = unknown> {
  readonly name: string;
  readonly value: Value;
}

/** Strings no text column can store: NUL (Postgres refuses it) and unpaired surrogates. */
export const HOSTILE_STRINGS: readonly HostileValue<string>[] = [
  { name: 'NUL', value: 'a\u0000b' },
  { name: 'only NUL', value: '\u0000' },
  { name: 'lone high surrogate', value: 'a\ud800b' },
  { name: 'lone low surrogate', value: '\udc00' },
];

/** Query or path parameter values as they appear percent-encoded in the URL. */
export const HOSTILE_URL_VALUES: readonly HostileValue<string>[] = [
  { name: '%00', value: '%00' },
  { name: 'text then %00', value: 'RS-SYBXJ-001%00' },
  { name: 'an encoded lone surrogate', value: '%ED%A0%80' },
];

/** Instants JavaScript or zod accept but Postgres or the business cannot: year 0, far futures. */
export const HOSTILE_INSTANTS: readonly HostileValue<string>[] = [
  { name: 'year 0', value: '0000-01-01T00:00:00Z' },
  { name: 'year 1', value: '0001-01-01T00:00:00Z' },
  { name: 'year 9999', value: '9999-12-31T23:59:59Z' },
  { name: 'February 30', value: '2026-02-30T10:00:00+08:00' },
  { name: 'no time zone', value: '2026-11-24T10:00:00' },
];

/** Calendar dates (YYYY-MM-DD) outside any business range or the calendar. */
export const HOSTILE_DATES: readonly HostileValue<string>[] = [
  { name: 'year 1', value: '0001-01-01' },
  { name: 'year 0', value: '0000-01-01' },
  { name: 'year 9999', value: '9999-12-31' },
  { name: 'February 30', value: '2026-02-30' },
];

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Page cursors no page answered: made up, shaped like one, or not one at all. */
export const HOSTILE_CURSORS: readonly HostileValue<string>[] = [
  { name: 'made up ({"at":"1","id":"----…"})', value: base64url(`{"at":"1","id":"${'-'.repeat(36)}"}`) },
  {
    name: 'year 0 with a real id shape',
    value: base64url('{"at":"0000-01-01T00:00:00.000Z","id":"5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d"}'),
  },
  { name: 'not base64 JSON', value: 'not-a-cursor' },
  { name: 'NUL inside', value: base64url('{"at":"2026-11-24T02:00:00.000Z","id":"\u0000"}') },
];

export interface HostileBody {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** 415 for a media type other than JSON, 400 for a JSON body that is not valid. */
  readonly status: 400 | 415;
}

/** Raw bodies: broken UTF-8, JSON that is not, and media types other than application/json. */
export function hostileBodies(valid: Record<string, unknown>): readonly HostileBody[] {
  const json = JSON.stringify(valid);
  return [
    {
      name: 'invalid UTF-8 inside a string',
      contentType: 'application/json',
      // {"x":"<0xff 0xfe>", ...}: bytes no UTF-8 text has; lenient decoders store U+FFFD.
      body: Buffer.concat([
        Buffer.from('{"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`",${json.slice(1)}`),
      ]),
      status: 400,
    },
    {
      name: 'a truncated UTF-8 sequence',
      contentType: 'application/json; charset=utf-8',
      body: Buffer.concat([
        Buffer.from('{"x":"'),
        Buffer.from([0xe4, 0xb8]),
        Buffer.from(`",${json.slice(1)}`),
      ]),
      status: 400,
    },
    {
      name: 'malformed JSON',
      contentType: 'application/json',
      body: Buffer.from(json.slice(0, -1)),
      status: 400,
    },
    { name: 'a JSON string', contentType: 'application/json', body: Buffer.from('"text"'), status: 400 },
    {
      name: 'a form',
      contentType: 'application/x-www-form-urlencoded',
      body: Buffer.from(new URLSearchParams({ x: 'y' }).toString()),
      status: 415,
    },
    { name: 'JSON sent as text/plain', contentType: 'text/plain', body: Buffer.from(json), status: 415 },
    {
      name: 'JSON in Latin-1',
      contentType: 'application/json; charset=latin1',
      body: Buffer.from(json),
      status: 415,
    },
  ];
}

type Path = readonly (string | number)[];

/** The path of every string in a JSON value, e.g. ["applicant", "name"], ["materials", 0, "code"]. */
export function stringPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  return [];
}

/** A deep copy of `value` with `replacement` at `path`. */
export function withValueAt<T>(value: T, path: Path, replacement: unknown): T {
  const copy = structuredClone(value) as unknown;
  if (path.length === 0) return replacement as T;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy as T;
}
