import { expectEventually } from '@tongban/testing';
import { Journey, type JourneyResult } from './journeys';
import { serverErrorReporter } from './server-error-report';
import { TongbanSystem } from '@tongban/service-testing';
import {
  actors,
  type CaseKind,
  planCase,
  SmsGateway,
  TongbanClient,
  withdrawRoutingRule,
} from './tongban-client';

/**
 * The four built services as separate processes, driven through their public HTTP APIs only:
 * one case of each kind from the window to the applicant's rating.
 */
describe('end to end: one case of each kind, window to rating', () => {
  let system: TongbanSystem;
  let client: TongbanClient;
  let sms: SmsGateway;
  const who = actors(`e2e${Date.now().toString(36)}`);
  const results = new Map<CaseKind, JourneyResult>();

  beforeAll(async () => {
    system = await TongbanSystem.start({
      label: 'e2e',
      basePort: 29301,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    client = new TongbanClient(
      system.endpoints,
      system.keys,
      serverErrorReporter(system, (line) => process.stdout.write(`e2e: ${line}\n`)),
    );
    sms = new SmsGateway(system.services.delivery.database.url, system.cipher);
    await withdrawRoutingRule(client, who);
  }, 150000);

  afterAll(async () => {
    await sms?.close();
    await system?.stop();
  });

  async function timeline(result: JourneyResult): Promise<string[]> {
    const answer = await client.call<{ stages: { stage: string }[] }>(
      'intake',
      'GET',
      `/cases/${result.caseId!}/timeline`,
      who.staff(result.plan.officeId),
    );
    expect(answer.status).toBe(200);
    return answer.body.stages.map((entry) => entry.stage);
  }

  it('completes a cross-district door delivery, a 秒批 window pickup, a parallel approval, a supplement round and a case released from triage', async () => {
    const kinds: CaseKind[] = ['door', 'instant', 'parallel', 'supplement', 'unroutable'];
    const journeys = kinds.map(
      (kind) =>
        new Journey(client, sms, who, planCase(kind), {
          failedAttempts: kind === 'door' ? 1 : 0,
          poll: { timeoutMs: 60000, intervalMs: 200 },
        }),
    );
    const started = Date.now();
    const outcomes = await Promise.allSettled(journeys.map((journey) => journey.run()));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected')
        throw new Error(`${kinds[index]} journey: ${String(outcome.reason)}`);
      results.set(kinds[index]!, outcome.value);
    });
    for (const [kind, result] of results) {
      expect(result.finalStatus).toBe(kind === 'door' ? 'delivered' : 'collected');
      expect(result.at.rated).toBeDefined();
    }
    process.stdout.write(
      `e2e: ${kinds.length} journeys completed in ${Date.now() - started} ms: ${kinds
        .map((kind) => `${kind} ${results.get(kind)!.at.rated! - results.get(kind)!.at.accepted!} ms`)
        .join(', ')}\n`,
    );
  }, 240000);

  it('shows every stage of each case on the intake timeline, in order', async () => {
    const common = ['submitted', 'routed', 'approved', 'rated'];
    const expected: Record<string, string[]> = {
      door: [
        ...common,
        'delivery_ready_for_dispatch',
        'delivery_picked_up',
        'delivery_out_for_delivery',
        'delivery_delivery_failed',
        'delivery_rescheduled',
        'delivery_delivered',
      ],
      instant: [...common, 'delivery_ready_for_pickup', 'delivery_collected'],
      parallel: [...common, 'delivery_ready_for_pickup', 'delivery_collected'],
      supplement: [
        ...common,
        'supplement_requested',
        'supplemented',
        'delivery_ready_for_pickup',
        'delivery_collected',
      ],
      unroutable: [...common, 'unroutable', 'delivery_ready_for_pickup', 'delivery_collected'],
    };
    for (const [kind, result] of results) {
      const stages = await expectEventually(
        async () => {
          const seen = await timeline(result);
          expect(seen).toEqual(expect.arrayContaining(expected[kind]!));
          return seen;
        },
        { timeoutMs: 20000, intervalMs: 200 },
      );
      // In order: the stage sequence is the life of the case, whatever order events arrived in.
      const order = (stage: string) => stages.indexOf(stage);
      expect(order('submitted')).toBe(0);
      expect(order('routed')).toBeLessThan(order('approved'));
      expect(order('approved')).toBeLessThan(stages.findIndex((stage) => stage.startsWith('delivery_')));
      expect(order('rated')).toBe(stages.length - 1);
      if (kind === 'unroutable') expect(order('unroutable')).toBeLessThan(order('routed'));
      if (kind === 'supplement') {
        expect(order('supplement_requested')).toBeLessThan(order('supplemented'));
        expect(order('supplemented')).toBeLessThan(order('approved'));
      }
      if (kind === 'door') {
        expect(order('delivery_delivery_failed')).toBeLessThan(order('delivery_rescheduled'));
        expect(order('delivery_rescheduled')).toBeLessThan(order('delivery_delivered'));
      }
      process.stdout.write(`e2e timeline ${kind}: ${stages.join(' → ')}\n`);
    }
  });

  it('lets the applicant track the case by receipt and phone ending, and rate it only once', async () => {
    const result = results.get('instant')!;
    const last4 = result.plan.applicant.phone.slice(-4);
    const tracked = await client.call('intake', 'POST', '/cases/track', undefined, {
      receipt: result.receipt,
      phoneLast4: last4,
    });
    expect(tracked.status).toBe(200);
    expect(tracked.body['status']).toBe('collected');
    const again = await client.call('intake', 'POST', '/cases/rating', undefined, {
      receipt: result.receipt,
      phoneLast4: last4,
      score: 1,
    });
    expect(again.status).toBe(409);
  });
});
