import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEvent,
  EVENT_DEFINITIONS,
  EventValidationError,
  parseEvent,
  parseEventOf,
  safeParseEvent,
  safeParseEventOf,
  type EventOf,
} from './event-registry';
import { type AnyCaseSnapshot, snapshotVersion } from './common.schemas';
import { TOPICS } from './topics';

const FIXTURES = join(__dirname, '..', 'fixtures');

function fixture(type: string, version = 1): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `v${version}`, `${type}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('event registry', () => {
  it('has a schema for every topic, and a frozen fixture for every (type, version)', () => {
    expect([...new Set(EVENT_DEFINITIONS.map((definition) => definition.type))].sort()).toEqual(
      Object.values(TOPICS).sort(),
    );
    const versions = [...new Set(EVENT_DEFINITIONS.map((d) => d.version))].sort();
    expect(readdirSync(FIXTURES).sort()).toEqual(versions.map((version) => `v${version}`));
    for (const version of versions)
      expect(readdirSync(join(FIXTURES, `v${version}`)).sort()).toEqual(
        EVENT_DEFINITIONS.filter((d) => d.version === version)
          .map((d) => `${d.type}.json`)
          .sort(),
      );
  });

  // The fixtures are each version's wire format as first published: if a schema change makes one
  // of them fail, the change is not additive and needs a new version (see libs/contracts/README.md).
  it.each(EVENT_DEFINITIONS.map((definition) => [definition.type, definition.version] as const))(
    'still accepts the published %s v%d',
    (type, version) => {
      const event = parseEvent(fixture(type, version));
      expect(event.type).toBe(type);
      expect(event.version).toBe(version);
    },
  );

  it.each(['case.submitted', 'case.routed', 'case.decided'] as const)(
    'refuses a v2 %s that carries a name, a birth date or an address in clear',
    (type) => {
      const raw = fixture(type, 2);
      const payload = raw['payload'] as Record<string, unknown>;
      const snapshot = (type === 'case.submitted' ? payload : payload['case']) as Record<string, unknown>;
      const applicant = snapshot['applicant'] as Record<string, unknown>;
      const address = (snapshot['delivery'] as { address: Record<string, unknown> }).address;
      const withSnapshot = (changed: Record<string, unknown>) => ({
        ...raw,
        payload: type === 'case.submitted' ? changed : { ...payload, case: changed },
      });
      const attempts = [
        { ...snapshot, applicant: { ...applicant, name: '测试申请人' } },
        { ...snapshot, applicant: { ...applicant, ageBand: undefined, birthDate: '1990-01-01' } },
        { ...snapshot, delivery: { method: 'courier', address: { ...address, detail: '测试路1号' } } },
      ];
      for (const attempt of attempts) expect(safeParseEvent(withSnapshot(attempt)).success).toBe(false);
    },
  );

  it('carries the agent (帮办代办) on a v2 snapshot only as protected values, added within v2', () => {
    const raw = fixture('case.routed', 2) as { payload: { case: Record<string, unknown> } };
    const protectedValue = { ciphertext: 'v1.k1.YWdlbnQ', hash: 'agent-hash', masked: '440306********0012' };
    const assistance = {
      mode: 'agent',
      agentName: { ciphertext: 'v1.k1.bmFtZQ', masked: '李*' },
      relation: '配偶',
      agentIdNumber: protectedValue,
      agentPhone: { ...protectedValue, masked: '139****0001' },
    };
    const withAgent = { ...raw, payload: { ...raw.payload, case: { ...raw.payload.case, assistance } } };
    const parsed = parseEventOf('case.routed', withAgent);
    expect(parsed.version).toBe(2);
    expect((parsed.payload.case as { assistance?: unknown }).assistance).toEqual(assistance);
    const clearId = { ...assistance, agentIdNumber: '440306199001010012' };
    expect(
      safeParseEvent({
        ...raw,
        payload: { ...raw.payload, case: { ...raw.payload.case, assistance: clearId } },
      }).success,
    ).toBe(false);
  });

  it('creates an event in an older version when asked, for a snapshot that carries on', () => {
    const raw = fixture('case.routed') as { payload: Record<string, unknown> };
    const event = createEvent({
      type: 'case.routed',
      version: snapshotVersion(raw.payload['case'] as AnyCaseSnapshot),
      caseId: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d',
      producer: 'routing',
      payload: raw.payload as EventOf<'case.routed'>['payload'],
    });
    expect(event.version).toBe(1);
    const v2 = fixture('case.routed', 2) as { payload: { case: AnyCaseSnapshot } };
    expect(snapshotVersion(v2.payload.case)).toBe(2);
  });

  it('ignores fields added by a newer producer (additive evolution)', () => {
    const raw = fixture('case.sla');
    const event = parseEventOf('case.sla', {
      ...raw,
      traceNote: 'added later',
      payload: { ...(raw['payload'] as object), addedLater: 42 },
    });
    expect(event.payload.kind).toBe('warning');
    expect(event.payload).not.toHaveProperty('addedLater');
  });

  it.each([
    ['eventId', 'not-a-uuid', 'eventId'],
    ['occurredAt', '2026-11-24T10:00:00+08:00', 'occurredAt'],
    ['caseId', undefined, 'caseId'],
    ['producer', 'billing', 'producer'],
  ])('rejects an envelope with a bad %s and names the field', (field, value, path) => {
    const result = safeParseEvent({ ...fixture('case.rated'), [field]: value });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((issue) => issue.path)).toContain(path);
  });

  it('rejects an unknown version of a known type', () => {
    const result = safeParseEvent({ ...fixture('case.rated'), version: 99 });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.message).toContain('unsupported event type "case.rated" version 99');
  });

  it('names the payload field that is wrong', () => {
    const raw = fixture('case.rated');
    const result = safeParseEvent({ ...raw, payload: { ...(raw['payload'] as object), score: 6 } });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path).toBe('payload.score');
  });

  it('refuses an event of another type where one type is expected', () => {
    const result = safeParseEventOf('case.routed', fixture('case.rated'));
    expect(result.success).toBe(false);
    expect(() => parseEventOf('case.routed', fixture('case.rated'))).toThrow(EventValidationError);
  });

  it('enforces the cross-field rules of a decision', () => {
    const raw = fixture('case.decided');
    const payload = { ...(raw['payload'] as Record<string, unknown>) };
    delete payload['resultDocument'];
    const result = safeParseEventOf('case.decided', { ...raw, payload });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path).toBe('payload.resultDocument');
  });

  it('requires exactly one primary assignment in a routing', () => {
    const raw = fixture('case.routed');
    const payload = raw['payload'] as Record<string, unknown>;
    const assignments = [
      { departmentId: '440306-rsj', districtCode: '440306', role: 'parallel' },
      { departmentId: '440306-ybj', districtCode: '440306', role: 'parallel' },
    ];
    expect(safeParseEvent({ ...raw, payload: { ...payload, assignments } }).success).toBe(false);
  });

  it('accepts a city-level department in an assignment and refuses a street code', () => {
    const raw = fixture('case.routed');
    const payload = raw['payload'] as Record<string, unknown>;
    const city = [{ departmentId: '4403-ybj', districtCode: '4403', role: 'primary' }];
    expect(safeParseEvent({ ...raw, payload: { ...payload, assignments: city } }).success).toBe(true);
    const street = [{ departmentId: '440306-rsj', districtCode: '440306001', role: 'primary' }];
    expect(safeParseEvent({ ...raw, payload: { ...payload, assignments: street } }).success).toBe(false);
  });

  describe('createEvent', () => {
    it('fills the envelope with a fresh id, the latest version and a UTC timestamp', () => {
      const event: EventOf<'case.unroutable'> = createEvent({
        type: 'case.unroutable',
        caseId: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d',
        producer: 'routing',
        payload: { itemCode: 'X-1', reason: 'no_rule', detail: 'no rule' },
        occurredAt: new Date(Date.UTC(2026, 10, 24, 2, 0, 0)),
      });
      expect(event.eventId).toMatch(/^[\da-f-]{36}$/);
      expect(event.version).toBe(1);
      expect(event.occurredAt).toBe('2026-11-24T02:00:00.000Z');
    });

    it('fails in the producer when the payload is invalid', () => {
      expect(() =>
        createEvent({
          type: 'case.unroutable',
          caseId: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d',
          producer: 'routing',
          payload: { itemCode: 'X-1', reason: 'lost' as 'no_rule', detail: 'no rule' },
        }),
      ).toThrow(/payload\.reason/);
    });
  });
});
