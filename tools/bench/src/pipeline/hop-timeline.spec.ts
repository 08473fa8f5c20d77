import { caseTimelines, completionRate, hopLatencies, type PipelineStamps } from './hop-timeline';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 24, 2, 0, 0) + ms);
const T0 = at(0).getTime();

function stampsFor(caseId: string, start: number, withParcel = true): PipelineStamps {
  const event = (name: string) => `${caseId}-${name}`;
  return {
    submitted: [{ caseId, eventId: event('s'), createdAt: at(start), publishedAt: at(start + 2) }],
    routingConsumed: [{ eventId: event('s'), processedAt: at(start + 5) }],
    routed: [{ caseId, eventId: event('r'), createdAt: at(start + 9), publishedAt: at(start + 12) }],
    approvalConsumed: [{ eventId: event('r'), processedAt: at(start + 20) }],
    decided: [{ caseId, eventId: event('d'), createdAt: at(start + 24), publishedAt: at(start + 25) }],
    deliveryConsumed: [{ eventId: event('d'), processedAt: at(start + 30) }],
    parcelCreated: withParcel
      ? [{ caseId, eventId: event('p'), createdAt: at(start + 40), publishedAt: null }]
      : [],
  };
}

function merge(...parts: PipelineStamps[]): PipelineStamps {
  return {
    submitted: parts.flatMap((part) => part.submitted),
    routingConsumed: parts.flatMap((part) => part.routingConsumed),
    routed: parts.flatMap((part) => part.routed),
    approvalConsumed: parts.flatMap((part) => part.approvalConsumed),
    decided: parts.flatMap((part) => part.decided),
    deliveryConsumed: parts.flatMap((part) => part.deliveryConsumed),
    parcelCreated: parts.flatMap((part) => part.parcelCreated),
  };
}

describe('pipeline hop timeline', () => {
  it('joins the four databases by case and event id and measures each hop', () => {
    const timelines = caseTimelines(merge(stampsFor('a', 0), stampsFor('b', 1000)));
    const hops = Object.fromEntries(hopLatencies(timelines).map((hop) => [hop.name, hop.ms]));

    expect(hops['intake relay (commit -> Kafka ack)']).toMatchObject({ count: 2, p50: 2, max: 2 });
    expect(hops['Kafka -> approval transaction']).toMatchObject({ count: 2, p50: 8 });
    expect(hops['hop routing -> approval']).toMatchObject({ p50: 15 });
    expect(hops['end to end (accepted -> parcel ready)']).toMatchObject({ count: 2, p50: 40, max: 40 });
  });

  it('leaves a case that has not reached delivery out of the later hops, not as zero', () => {
    const timelines = caseTimelines(merge(stampsFor('a', 0), stampsFor('b', 0, false)));
    const hops = Object.fromEntries(hopLatencies(timelines).map((hop) => [hop.name, hop.ms]));

    expect(hops['routing relay']!.count).toBe(2);
    expect(hops['delivery handler (parcel)']!.count).toBe(1);
    expect(hops['end to end (accepted -> parcel ready)']!.count).toBe(1);
  });

  it('takes the earliest consumption of a redelivered event and the first row of a case', () => {
    const base = stampsFor('a', 0);
    const timelines = caseTimelines({
      ...base,
      routingConsumed: [{ eventId: 'a-s', processedAt: at(50) }, ...base.routingConsumed],
      parcelCreated: [
        ...base.parcelCreated,
        { caseId: 'a', eventId: 'a-p2', createdAt: at(90), publishedAt: null },
      ],
    });

    expect(timelines[0]!.instants.routingStart).toBe(T0 + 5);
    expect(timelines[0]!.instants.parcelCommit).toBe(T0 + 40);
  });

  it('counts completions per second inside the window only', () => {
    const timelines = caseTimelines(merge(stampsFor('a', 0), stampsFor('b', 1000), stampsFor('c', 3000)));

    // parcels at +40, +1040 and +3040 ms: two fall in [0, 2000)
    expect(completionRate(timelines, T0, T0 + 2000)).toBe(1);
  });
});
