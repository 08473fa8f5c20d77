/**
 * The traffic and the reconciliation of `npm run demo` (see demo.ts): loaded only once there is
 * traffic to make, since @tongban/auth brings all of Nest and TypeORM with it.
 */
import { devAuthKeys } from '@tongban/auth';
import { STAGES, type Stage } from './journeys';
import { actors, type CaseKind, type Endpoints, PhoneInbox, TongbanClient } from './tongban-client';
import { Traffic } from './traffic';

export interface DemoOptions {
  /** New cases per second. */
  readonly rate: number;
  readonly durationS: number;
  readonly graceS: number;
}

// The demo runs against the shared databases of `npm start`, so it leaves the routing rules alone:
// no case is made unroutable on purpose (the reconciliation still counts any that are).
const MIX: readonly CaseKind[] = ['door', 'instant', 'parallel', 'supplement', 'instant', 'door', 'reject'];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs the traffic against the services and prints the reconciliation; exit code 1 on a failed case. */
export async function runDemo({ rate, durationS, graceS }: DemoOptions): Promise<void> {
  const env = process.env;
  const endpoints: Endpoints = {
    intake: env['INTAKE_URL'] ?? 'http://127.0.0.1:3001',
    routing: env['ROUTING_URL'] ?? 'http://127.0.0.1:3002',
    approval: env['APPROVAL_URL'] ?? 'http://127.0.0.1:3003',
    delivery: env['DELIVERY_URL'] ?? 'http://127.0.0.1:3004',
    notification: env['NOTIFICATION_URL'] ?? 'http://127.0.0.1:3005',
    supervision: env['SUPERVISION_URL'] ?? 'http://127.0.0.1:3006',
  };
  const client = new TongbanClient(endpoints, await devAuthKeys());
  for (const service of Object.keys(endpoints) as (keyof Endpoints)[]) {
    const ready = await client.ready(service).catch(() => undefined);
    if (ready?.status !== 200)
      throw new Error(
        `${service} at ${endpoints[service]} is not ready: run \`npm start -- --detach\` first`,
      );
  }
  const sms = new PhoneInbox(env['SMS_GATEWAY_URL'] ?? 'http://127.0.0.1:9400');
  const run = `demo${Date.now().toString(36)}`;
  // One set of staff, reviewers and couriers per case: the services limit requests per subject.
  const traffic = new Traffic(
    client,
    sms,
    (n) => actors(`${run}-${n}`),
    MIX,
    (kind, n) => ({
      failedAttempts: kind === 'door' && n % 3 === 0 ? 1 : 0,
      poll: { timeoutMs: (durationS + graceS) * 1000, intervalMs: 300 },
    }),
  );

  const report = (label: string) => {
    const results = traffic.results();
    const parts = STAGES.map((stage: Stage) => {
      const latencies = results
        .filter((r) => r.at[stage] !== undefined && r.at.accepted !== undefined)
        .map((r) => r.at[stage]! - r.at.accepted!)
        .sort((a, b) => a - b);
      const timing =
        stage === 'accepted' || latencies.length === 0
          ? ''
          : ` p50 ${percentile(latencies, 50)} ms p99 ${percentile(latencies, 99)} ms`;
      return `${stage} ${latencies.length}${timing}`;
    });
    const failed = traffic.trips.filter((trip) => trip.error).length;
    out(`[${label}] started ${results.length} | ${parts.join(' | ')}${failed ? ` | failed ${failed}` : ''}`);
  };

  out(`demo: ${rate} case(s)/s for ${durationS} s against ${endpoints.intake} …`);
  const started = Date.now();
  traffic.start(1000 / rate);
  const progress = setInterval(() => report(`${Math.round((Date.now() - started) / 1000)} s`), 5000);
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  traffic.stop();
  out(
    `demo: submissions stopped; waiting up to ${graceS} s for ${traffic.inFlight().length} case(s) in flight`,
  );
  await Promise.race([traffic.settle(), new Promise((resolve) => setTimeout(resolve, graceS * 1000))]);
  clearInterval(progress);
  report('end');

  // Reconciliation: every accepted case read back from intake's read model.
  const statuses = new Map<string, number>();
  let unreadable = 0;
  for (const trip of traffic.trips) {
    const { caseId } = trip.journey.result;
    if (!caseId) continue;
    const answer = await client
      .call('intake', 'GET', `/cases/${caseId}`, trip.journey.who.staff(trip.journey.result.plan.officeId))
      .catch(() => undefined);
    const status = answer?.status === 200 ? String(answer.body['status']) : undefined;
    if (status) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    else unreadable++;
  }
  const count = (...names: string[]) => names.reduce((sum, name) => sum + (statuses.get(name) ?? 0), 0);
  const submitted = traffic.trips.filter((trip) => trip.journey.result.caseId).length;
  const unroutable = count('unroutable');
  const submittedOnly = count('submitted');
  const routed = submitted - unroutable - submittedOnly - unreadable;
  const decided = count('approved', 'rejected', 'in_delivery', 'ready_for_pickup', 'delivered', 'collected');
  const pending = count('routed', 'supplement_requested');
  const delivered = count('delivered', 'collected');
  const inFlight = count('approved', 'in_delivery', 'ready_for_pickup');
  out('reconciliation (intake read model):');
  out(
    `  statuses: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}${unreadable ? `, unreadable ${unreadable}` : ''}`,
  );
  out(
    `  submitted ${submitted} = routed ${routed} + unroutable ${unroutable} + not yet routed ${submittedOnly}${submitted === routed + unroutable + submittedOnly ? ' ✓' : ' ✗'}`,
  );
  out(
    `  routed ${routed} = decided ${decided} + pending ${pending}${routed === decided + pending ? ' ✓' : ' ✗'}`,
  );
  out(
    `  approved ${decided - count('rejected')} = delivered/collected ${delivered} + in delivery ${inFlight}${decided - count('rejected') === delivered + inFlight ? ' ✓' : ' ✗'}`,
  );
  // A rejected case ends with its notice and is not rated by the traffic.
  const rated = traffic.results().filter((r) => r.at.rated).length;
  const completed = traffic.results().filter((r) => r.at.completed && r.plan.kind !== 'reject').length;
  out(
    `  rejected ${count('rejected')}; rated ${rated} of ${completed} handed over${rated === completed ? ' ✓' : ' ✗'}`,
  );
  if (rated < completed) process.exitCode = 1;
  const throttled = client.errors.filter((error) => error.status === 429).length;
  out(`  throttled answers (429): ${throttled}, each retried no sooner than its Retry-After`);

  // What the applicants were told, from the notification service's store (operator view).
  const operator = actors(run).operator;
  const byKind = new Map<string, Map<string, number>>();
  let unknown = 0;
  for (const trip of traffic.trips) {
    const { caseId } = trip.journey.result;
    if (!caseId) continue;
    const answer = await client
      .call<{
        items: { kind: string; status: string }[];
      }>('notification', 'GET', `/notifications?caseId=${caseId}`, operator)
      .catch(() => undefined);
    if (answer?.status !== 200) {
      unknown++;
      continue;
    }
    for (const { kind, status } of answer.body.items) {
      const statuses = byKind.get(kind) ?? new Map<string, number>();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      byKind.set(kind, statuses);
    }
  }
  out('notifications (notification service):');
  for (const [kind, statuses] of [...byKind].sort()) {
    out(`  ${kind.padEnd(22)} ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  }
  if (unknown) out(`  unreadable for ${unknown} case(s) ✗`);
  const errors = traffic.trips.filter((trip) => trip.error);
  for (const trip of errors.slice(0, 5)) out(`  failed ${trip.kind}: ${trip.error!.message.slice(0, 300)}`);
  await sms.close();
  if (errors.length > 0) process.exitCode = 1;
}
