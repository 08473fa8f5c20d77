import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isTransientInfrastructureError } from './transient-error';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isTransientInfrastructureError', () => {
  it.each([
    ['a killed backend (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a serialization conflict (40001)', withCode('could not serialize access', '40001')],
    ['a refused socket', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      "TypeORM's wrapper of a killed backend",
      new QueryFailedError('SELECT 1', [], withCode('terminating connection', '57P01')),
    ],
    ['a transaction whose connection the server closed', new QueryRunnerAlreadyReleasedError()],
    ['a cause chain', new Error('handler failed', { cause: withCode('reset', 'ECONNRESET') })],
  ])('retries %s', (_label, error) => {
    expect(isTransientInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a bug in the handler', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a constraint violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
    [
      'a check violation through TypeORM (23514)',
      new QueryFailedError('INSERT', [], withCode('new row violates check constraint', '23514')),
    ],
    ['an undefined table (42P01)', withCode('relation "x" does not exist', '42P01')],
    ['not an error at all', 'boom'],
    ['nothing', undefined],
  ])('counts %s toward dead-lettering', (_label, error) => {
    expect(isTransientInfrastructureError(error)).toBe(false);
  });
});
