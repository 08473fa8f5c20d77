import { parseArgs } from 'node:util';
import { actorScopeId } from '../scope/actor-scope';
import { devAuthEnv, devAuthKeys, type DevAuthKeys } from '../dev/dev-auth-keys';
import { type DevUser, devUsers, findDevUser } from '../dev/dev-users';
import { DEFAULT_DEV_TOKEN_TTL_SECONDS, mintDevToken } from '../dev/mint-dev-token';

const USAGE = `Mints development bearer tokens for the seeded users (never for production).

  npm run -s token -- --list                 the seeded users
  npm run -s token -- --user <id> [--ttl 8h] a token for one of them (stdout: the token only)
  npm run -s token -- --env                  the AUTH_* variables services need for these tokens,
                                             as shell exports: eval "$(npm run -s token -- --env)"

--ttl takes seconds or a number with s, m, h or d (default ${DEFAULT_DEV_TOKEN_TTL_SECONDS / 3600}h); services
refuse tokens living longer than AUTH_JWT_MAX_LIFETIME_SECONDS (12h unless set).
`;

class UsageError extends Error {}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

function ttlSeconds(text: string): number {
  const [, amount, unit] = /^(\d+)([smhd]?)$/.exec(text.trim()) ?? [];
  const value = Number(amount) * (UNIT_SECONDS[unit || 's'] ?? 0);
  if (!(value > 0)) throw new UsageError(`--ttl "${text}" is not a duration such as 900, 30m or 8h`);
  return value;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

function envExports(keys: DevAuthKeys): string {
  return Object.entries(devAuthEnv(keys))
    .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
    .join('');
}

function describe(user: DevUser): string {
  const scope = actorScopeId(user);
  const supervisor = user.role === 'reviewer' && user.supervisor ? ' (supervisor)' : '';
  return `${user.role}${scope ? ` ${scope}` : ''}${supervisor}`;
}

function listing(users: readonly DevUser[]): string {
  const width = Math.max(...users.map((user) => user.sub.length));
  const roleWidth = Math.max(...users.map((user) => describe(user).length));
  return users
    .map((user) => `${user.sub.padEnd(width)}  ${describe(user).padEnd(roleWidth)}  ${user.label}\n`)
    .join('');
}

async function loadKeys(): Promise<DevAuthKeys> {
  const keys = await devAuthKeys();
  if (keys.created) {
    process.stderr.write(
      `Generated a development key pair (${keys.alg}) in ${keys.privateKeyFile}.\n` +
        `Services accept these tokens with:\n${envExports(keys)}\n`,
    );
  }
  return keys;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: 'string', short: 'u' },
      list: { type: 'boolean', short: 'l' },
      env: { type: 'boolean' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    process.stdout.write(listing(devUsers()));
    return 0;
  }
  if (values.env) {
    process.stdout.write(envExports(await loadKeys()));
    return 0;
  }
  if (!values.user) throw new UsageError('give --user <id>, --list or --env');
  const user = findDevUser(values.user);
  if (!user) throw new UsageError(`no seeded user "${values.user}"; --list shows them`);
  const ttl = values.ttl === undefined ? DEFAULT_DEV_TOKEN_TTL_SECONDS : ttlSeconds(values.ttl);
  const token = await mintDevToken(user, await loadKeys(), { ttlSeconds: ttl });
  process.stdout.write(`${token}\n`);
  const expires = new Date(Date.now() + ttl * 1000).toISOString();
  process.stderr.write(`token for ${user.sub} (${describe(user)}), valid until ${expires}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${usage ? `\n${USAGE}` : ''}`,
    );
    process.exitCode = usage ? 2 : 1;
  },
);
