import { distribution, type Distribution } from '../latency-distribution';

/** An outbox row as each service's database holds it (both times stamped by PostgreSQL). */
export interface OutboxStamp {
  readonly caseId: string;
  readonly eventId: string;
  readonly createdAt: Date;
  readonly publishedAt: Date | null;
}

/** A consumer's processed_events row: `processedAt` is its transaction's start. */
export interface ConsumedStamp {
  readonly eventId: string;
  readonly processedAt: Date;
}

/** What the four databases say about the 秒批 + window-pickup cases of a run. */
export interface PipelineStamps {
  readonly submitted: readonly OutboxStamp[]; // intake: case.submitted
  readonly routingConsumed: readonly ConsumedStamp[]; // routing: case.submitted
  readonly routed: readonly OutboxStamp[]; // routing: case.routed
  readonly approvalConsumed: readonly ConsumedStamp[]; // approval: case.routed
  readonly decided: readonly OutboxStamp[]; // approval: case.decided
  readonly deliveryConsumed: readonly ConsumedStamp[]; // delivery: case.decided
  readonly parcelCreated: readonly OutboxStamp[]; // delivery: first delivery.updated
}

/** The instants one case passed, in order; a missing one means the case did not get that far. */
export interface CaseTimeline {
  readonly caseId: string;
  readonly instants: Partial<Record<Instant, number>>;
}

export const INSTANTS = [
  'submittedCommit',
  'submittedAck',
  'routingStart',
  'routedCommit',
  'routedAck',
  'approvalStart',
  'decidedCommit',
  'decidedAck',
  'deliveryStart',
  'parcelCommit',
] as const;
export type Instant = (typeof INSTANTS)[number];

/** The stretches reported, each between two instants of the same case. */
export const HOPS = [
  { name: 'intake relay (commit -> Kafka ack)', from: 'submittedCommit', to: 'submittedAck' },
  { name: 'Kafka -> routing transaction', from: 'submittedAck', to: 'routingStart' },
  { name: 'routing handler (tx start -> outbox row)', from: 'routingStart', to: 'routedCommit' },
  { name: 'routing relay', from: 'routedCommit', to: 'routedAck' },
  { name: 'Kafka -> approval transaction', from: 'routedAck', to: 'approvalStart' },
  { name: 'approval handler (秒批)', from: 'approvalStart', to: 'decidedCommit' },
  { name: 'approval relay', from: 'decidedCommit', to: 'decidedAck' },
  { name: 'Kafka -> delivery transaction', from: 'decidedAck', to: 'deliveryStart' },
  { name: 'delivery handler (parcel)', from: 'deliveryStart', to: 'parcelCommit' },
  { name: 'hop intake -> routing (outbox row to outbox row)', from: 'submittedCommit', to: 'routedCommit' },
  { name: 'hop routing -> approval', from: 'routedCommit', to: 'decidedCommit' },
  { name: 'hop approval -> delivery', from: 'decidedCommit', to: 'parcelCommit' },
  { name: 'end to end (accepted -> parcel ready)', from: 'submittedCommit', to: 'parcelCommit' },
] as const satisfies readonly { name: string; from: Instant; to: Instant }[];

export interface HopLatency {
  readonly name: string;
  readonly ms: Distribution;
}

/** Joins the rows of the four databases into one timeline per case (by case id and event id). */
export function caseTimelines(stamps: PipelineStamps): CaseTimeline[] {
  const byEvent = (rows: readonly ConsumedStamp[]) => {
    const earliest = new Map<string, number>();
    for (const row of rows) {
      const at = row.processedAt.getTime();
      earliest.set(row.eventId, Math.min(at, earliest.get(row.eventId) ?? at));
    }
    return earliest;
  };
  const firstPerCase = (rows: readonly OutboxStamp[]) => {
    const first = new Map<string, OutboxStamp>();
    for (const row of rows) {
      const seen = first.get(row.caseId);
      if (!seen || row.createdAt < seen.createdAt) first.set(row.caseId, row);
    }
    return first;
  };
  const routed = firstPerCase(stamps.routed);
  const decided = firstPerCase(stamps.decided);
  const parcels = firstPerCase(stamps.parcelCreated);
  const routingStart = byEvent(stamps.routingConsumed);
  const approvalStart = byEvent(stamps.approvalConsumed);
  const deliveryStart = byEvent(stamps.deliveryConsumed);
  const time = (value: Date | null | undefined) => (value ? value.getTime() : undefined);

  return [...firstPerCase(stamps.submitted).values()].map((submitted) => {
    const routedRow = routed.get(submitted.caseId);
    const decidedRow = decided.get(submitted.caseId);
    const instants: Partial<Record<Instant, number>> = {
      submittedCommit: time(submitted.createdAt),
      submittedAck: time(submitted.publishedAt),
      routingStart: routingStart.get(submitted.eventId),
      routedCommit: time(routedRow?.createdAt),
      routedAck: time(routedRow?.publishedAt),
      approvalStart: routedRow ? approvalStart.get(routedRow.eventId) : undefined,
      decidedCommit: time(decidedRow?.createdAt),
      decidedAck: time(decidedRow?.publishedAt),
      deliveryStart: decidedRow ? deliveryStart.get(decidedRow.eventId) : undefined,
      parcelCommit: time(parcels.get(submitted.caseId)?.createdAt),
    };
    return {
      caseId: submitted.caseId,
      instants: Object.fromEntries(Object.entries(instants).filter(([, at]) => at !== undefined)),
    };
  });
}

/** Percentiles of every hop over the cases that passed both of its ends. */
export function hopLatencies(timelines: readonly CaseTimeline[]): HopLatency[] {
  return HOPS.map((hop) => {
    const values: number[] = [];
    for (const { instants } of timelines) {
      const from = instants[hop.from];
      const to = instants[hop.to];
      if (from !== undefined && to !== undefined) values.push(to - from);
    }
    return { name: hop.name, ms: distribution(values) };
  });
}

/** Cases whose parcel was committed within [from, to), per second. */
export function completionRate(timelines: readonly CaseTimeline[], from: number, to: number): number {
  const done = timelines.filter(({ instants }) => {
    const at = instants.parcelCommit;
    return at !== undefined && at >= from && at < to;
  }).length;
  return done / ((to - from) / 1000);
}
