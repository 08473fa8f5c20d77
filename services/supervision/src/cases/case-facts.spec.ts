import { loadReferenceData } from '@tongban/reference-data';
import { sampleEvent } from '@tongban/testing';
import type { CaseFactRow } from '../database/supervision-tables';
import {
  acceptanceDay,
  decidedFacts,
  deliveryFacts,
  derivedFacts,
  rongqueFacts,
  routedFacts,
  slaFacts,
  submittedFacts,
  workingDaysBetween,
} from './case-facts';

const reference = loadReferenceData();
const calendar = reference.calendarForDepartment('440306-rsj');

function row(overrides: Partial<CaseFactRow>): CaseFactRow {
  return {
    case_id: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d',
    receipt_number: null,
    item_code: null,
    accepting_office_id: null,
    accepting_district: null,
    phone_last4: null,
    accepted_at: null,
    accepted_by: null,
    rongque: null,
    rongque_completed_at: null,
    department_id: null,
    competent_district: null,
    cross_district: null,
    legal_first_due_at: null,
    legal_due_at: null,
    supplement_rounds: 0,
    decided_at: null,
    outcome: null,
    decision_origin: null,
    decided_by: null,
    decision_department_id: null,
    decision_working_days: null,
    promised_due_at: null,
    handed_over_at: null,
    handed_over_by: null,
    handover_role: null,
    handover_office_id: null,
    handover_courier_id: null,
    updated_at: new Date(),
    ...overrides,
  };
}

describe('case facts from the events', () => {
  it('takes the acceptance, its staff member, the phone ending and 容缺 from case.submitted', () => {
    const event = sampleEvent('case.submitted', { payload: { missingMaterials: ['photo'] } });
    expect(submittedFacts(event).set).toEqual({
      receipt_number: '440306001-20261124-0001',
      item_code: 'RS-SYBXJ-001',
      accepting_office_id: '440306001',
      accepting_district: '440306',
      phone_last4: '0000',
      rongque: true,
      accepted_at: new Date(event.occurredAt),
      accepted_by: 'staff-xinan-01',
    });
  });

  it('keeps the first legal deadline of a routing and lets a re-route restart it', () => {
    const first = routedFacts(sampleEvent('case.routed'));
    expect(first.set).toEqual({
      department_id: '440306-rsj',
      competent_district: '440306',
      cross_district: false,
    });
    expect(first.keep?.legal_first_due_at).toEqual(new Date('2026-12-01T10:00:00.000Z'));
    expect(first.max?.legal_due_at).toEqual(new Date('2026-12-01T10:00:00.000Z'));
    const reroute = routedFacts(
      sampleEvent('case.routed', {
        payload: {
          supersedesRoutingId: '00000000-0000-4000-8000-0000000000b2',
          slaDueAt: '2026-12-08T10:00:00.000Z',
        },
      }),
    );
    expect(reroute.set.legal_first_due_at).toEqual(new Date('2026-12-08T10:00:00.000Z'));
    expect(reroute.set.legal_due_at).toEqual(new Date('2026-12-08T10:00:00.000Z'));
  });

  it('moves the legal deadline on a resumed clock only', () => {
    expect(slaFacts(sampleEvent('case.sla', { payload: { kind: 'warning' } }))).toBeNull();
    const resumed = slaFacts(
      sampleEvent('case.sla', { payload: { kind: 'resumed', dueAt: '2026-12-03T10:00:00.000Z' } }),
    );
    expect(resumed?.max?.legal_due_at).toEqual(new Date('2026-12-03T10:00:00.000Z'));
  });

  it('counts 容缺 complete only when nothing is outstanding', () => {
    expect(rongqueFacts(sampleEvent('case.rongque'))?.keep?.rongque_completed_at).toBeInstanceOf(Date);
    expect(rongqueFacts(sampleEvent('case.rongque', { payload: { outstanding: ['photo'] } }))).toBeNull();
  });

  it('takes the deciding reviewer and department from case.decided', () => {
    const facts = decidedFacts(sampleEvent('case.decided'));
    expect(facts.set).toMatchObject({
      outcome: 'approved',
      decision_origin: 'reviewer',
      decided_by: 'reviewer-rsj-01',
      decision_department_id: '440306-rsj',
    });
  });

  it('takes the handover from a delivered or collected parcel only', () => {
    expect(deliveryFacts(sampleEvent('delivery.updated'))).toBeNull();
    const delivered = deliveryFacts(
      sampleEvent('delivery.updated', { payload: { state: 'delivered', previousState: 'out_for_delivery' } }),
    );
    expect(delivered?.set).toMatchObject({
      handed_over_by: 'courier-01',
      handover_role: 'courier',
      handover_courier_id: 'courier-01',
      handover_office_id: null,
    });
  });
});

describe('working days to decide', () => {
  it('reads the acceptance day from the receipt number', () => {
    expect(acceptanceDay('440306001-20261124-0001')).toBe('2026-11-24');
    expect(acceptanceDay('legacy-1')).toBeNull();
  });

  it('counts working days after the acceptance day up to the decision’s day (0 = 即办)', () => {
    expect(workingDaysBetween('2026-11-24', new Date('2026-11-24T09:00:00Z'), calendar)).toBe(0);
    expect(workingDaysBetween('2026-11-24', new Date('2026-11-27T03:00:00Z'), calendar)).toBe(3);
    // Saturday and Sunday do not count: Tuesday → next Monday is 4 working days.
    expect(workingDaysBetween('2026-11-24', new Date('2026-11-30T03:00:00Z'), calendar)).toBe(4);
    // 2026-10-01..07 is the National Day holiday: only the 8th and the 9th count.
    expect(workingDaysBetween('2026-09-30', new Date('2026-10-09T03:00:00Z'), calendar)).toBe(2);
  });

  it('derives the working days and the promised due instant once the facts it needs are known', () => {
    const facts = row({
      receipt_number: '440306001-20261124-0001',
      item_code: 'RS-SYBXJ-001',
      department_id: '440306-rsj',
      legal_first_due_at: new Date('2026-12-01T10:00:00.000Z'),
      legal_due_at: new Date('2026-12-01T10:00:00.000Z'),
      decided_at: new Date('2026-11-26T03:00:00Z'),
    });
    const derived = derivedFacts(
      facts,
      (department) => reference.calendarForDepartment(department),
      (item) => reference.item(item)?.timeLimits.promisedDays,
    );
    expect(derived.decision_working_days).toBe(2);
    expect(derived.promised_due_at).toEqual(calendar.addWorkingDays(new Date('2026-11-24T04:00:00Z'), 5));
    expect(
      derivedFacts(
        row({}),
        () => calendar,
        () => 5,
      ),
    ).toEqual({
      decision_working_days: null,
      promised_due_at: null,
    });
  });
});
