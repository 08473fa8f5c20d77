import { QueryRunnerAlreadyReleasedError } from 'typeorm';

/** PostgreSQL error classes and codes that say "the database was unreachable", not "the event is bad". */
const TRANSIENT_SQLSTATE_PREFIXES = ['08']; // connection exception
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres and its pool say these in messages only, without a code.
const TRANSIENT_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /client has encountered a connection error/i,
];

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True for a failure of the infrastructure under a handler (database unreachable, connection
 * killed, pool exhausted, a serialization conflict) rather than of the event: retrying it later
 * will succeed, so it must never send a valid event to the dead-letter topic. Looks through
 * TypeORM's `driverError` and `cause` chains.
 */
export function isTransientInfrastructureError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const code = codeOf(error);
  if (code !== undefined) {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SOCKET_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix)))
      return true;
  }
  // TypeORM releases a transaction's query runner when its pg client emits 'error' (the server
  // closed the connection mid-transaction, e.g. at a fast shutdown), and the transaction's next
  // query throws this rather than a socket error. The transaction died with the connection.
  if (error instanceof QueryRunnerAlreadyReleasedError) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  const { driverError, cause } = error as { driverError?: unknown; cause?: unknown };
  return (
    isTransientInfrastructureError(driverError, depth + 1) || isTransientInfrastructureError(cause, depth + 1)
  );
}
