import { type EventOf, type TongbanEvent } from '@tongban/contracts';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { approvalService } from '../approval.service-definition';
import type { ApprovalConfig } from '../config/approval-config';
import { personCase, routedEvent } from '../testing/routed-events';

interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * How many SQL statements one `case.routed` costs, counted on the connection that ran the
 * consumer's transaction (from START TRANSACTION to COMMIT, both included): each is a round trip
 * to PostgreSQL, so this bounds what one routed case costs the database. A ceiling, so a change
 * that adds round trips to the hot path has to say so here.
 */
describe('approval: SQL round trips per case.routed', () => {
  const MAX_ROUND_TRIPS = { reviewed: 5, auto: 7 };
  let service: BootedService<ApprovalConfig>;
  let producer: Producer;
  const log = new Map<Client, Statement[]>();
  const original = Client.prototype.query;

  beforeAll(async () => {
    // Every pg client of this process (the in-process service's pool) records its statements.
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const [first, values] = args as [string | { text: string; values?: unknown[] }, unknown];
      const text = typeof first === 'string' ? first : first.text;
      const params = Array.isArray(values) ? values : typeof first === 'string' ? [] : (first.values ?? []);
      const statements = log.get(this) ?? [];
      statements.push({ text: text.replace(/\s+/g, ' ').trim(), values: params });
      log.set(this, statements);
      return (original as (...rest: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    service = await bootService(approvalService);
    producer = await connectTestProducer();
  }, 60000);

  afterAll(async () => {
    Client.prototype.query = original;
    await producer?.disconnect();
    await service?.close();
  });

  async function publish(event: TongbanEvent): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  /** The statements of the committed transaction that claimed `eventId`. */
  function transactionOf(eventId: string): string[] | undefined {
    for (const statements of log.values()) {
      const claim = statements.findIndex(
        (s) => s.text.startsWith('INSERT INTO processed_events') && s.values.includes(eventId),
      );
      if (claim < 0) continue;
      const texts = statements.map((s) => s.text);
      const begin = texts.lastIndexOf('START TRANSACTION', claim);
      const commit = texts.indexOf('COMMIT', claim);
      if (begin >= 0 && commit > claim) return texts.slice(begin, commit + 1);
    }
    return undefined;
  }

  async function roundTrips(event: EventOf<'case.routed'>): Promise<number> {
    await publish(event);
    const statements = await expectEventually(
      () => {
        const found = transactionOf(event.eventId);
        expect(found).toBeDefined();
        return found ?? [];
      },
      { timeoutMs: 20000 },
    );
    process.stdout.write(
      `case.routed: ${statements.length} SQL round trips\n${statements.map((s) => `  ${s.slice(0, 100)}`).join('\n')}\n`,
    );
    return statements.length;
  }

  it('stays within the ceiling for a case two departments review', async () => {
    const event = routedEvent({ departments: ['440306-rsj', '440306-ybj'] });
    expect(await roundTrips(event)).toBeLessThanOrEqual(MAX_ROUND_TRIPS.reviewed);
  }, 60000);

  it('stays within the ceiling for a 秒批 case decided on arrival', async () => {
    const event = routedEvent({
      case: personCase({ itemCode: 'RS-JYCYZ-004', materials: [{ code: 'id_card', name: '居民身份证' }] }),
    });
    expect(await roundTrips(event)).toBeLessThanOrEqual(MAX_ROUND_TRIPS.auto);
  }, 60000);
});
