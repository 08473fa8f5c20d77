import {
  DEAD_LETTER_HEADERS,
  deadLetterHeaders,
  type DeadLetterInfo,
  originalHeaders,
  parseDeadLetterHeaders,
} from './dead-letter-headers';

const info: DeadLetterInfo = {
  errorClass: 'QueryFailedError',
  errorMessage: 'deadlock detected',
  originalTopic: 'case.routed',
  originalPartition: 4,
  originalOffset: '9007199254740993',
  attempts: 5,
  firstFailureAt: new Date('2026-11-24T01:00:00.000Z'),
  lastFailureAt: new Date('2026-11-24T01:00:09.500Z'),
  consumerGroup: 'tongban-approval',
  handler: 'approval.case-routed',
};

describe('dead-letter headers', () => {
  it('round-trip every field, offsets beyond 2^53 included', () => {
    expect(parseDeadLetterHeaders(deadLetterHeaders(info))).toEqual(info);
  });

  it('are not mistaken for a dead letter when the origin is missing', () => {
    const headers = deadLetterHeaders(info);
    delete headers[DEAD_LETTER_HEADERS.originalTopic];
    expect(parseDeadLetterHeaders(headers)).toBeUndefined();
  });

  it('truncate a huge error message', () => {
    const headers = deadLetterHeaders({ ...info, errorMessage: 'x'.repeat(10000) });
    expect(headers[DEAD_LETTER_HEADERS.errorMessage]).toHaveLength(2000);
  });

  it('are dropped on replay, keeping the original headers', () => {
    const headers = {
      traceparent: '00-abc-def-01',
      'content-type': 'application/json',
      ...deadLetterHeaders(info),
    };
    expect(originalHeaders(headers)).toEqual({
      traceparent: '00-abc-def-01',
      'content-type': 'application/json',
    });
  });
});
