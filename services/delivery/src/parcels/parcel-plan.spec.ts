import { referenceData } from '@tongban/reference-data';
import { sampleEvent } from '@tongban/testing';
import { dispatchOffice, planParcel } from './parcel-plan';

const offices = referenceData();
const approved = sampleEvent('case.decided');
const snapshot = approved.payload.case;

function decided(payload: Record<string, unknown>) {
  return sampleEvent('case.decided', { payload });
}

describe('parcel plan', () => {
  it('sends an approval’s result to the applicant’s door from the accepting office', () => {
    expect(planParcel(approved, offices)).toEqual({
      kind: 'result',
      method: 'courier',
      officeId: '440306001',
      departmentId: '440306-rsj',
      documentNumber: approved.payload.resultDocument!.number,
      address: snapshot.delivery.method === 'courier' ? snapshot.delivery.address : null,
      note: null,
    });
  });

  it('keeps a result for pickup at the office chosen at submission (通取)', () => {
    const plan = planParcel(
      decided({ case: { ...snapshot, delivery: { method: 'pickup', officeId: '440303001' } } }),
      offices,
    );
    expect(plan).toMatchObject({ method: 'pickup', officeId: '440303001', address: null });
  });

  it('falls back to the dispatch office when the chosen office has no window', () => {
    const plan = planParcel(
      decided({ case: { ...snapshot, delivery: { method: 'pickup', officeId: '440306001002' } } }),
      offices,
    );
    expect(plan).toMatchObject({
      method: 'pickup',
      officeId: '440306001',
      note: expect.stringMatching(/no pickup window/),
    });
  });

  it('sends a paper rejection notice only when the applicant asked for one', () => {
    const rejection = {
      outcome: 'rejected',
      resultDocument: undefined,
      rejection: { reasonCode: 'not_eligible', text: '不符合条件' },
    };
    expect(planParcel(decided({ ...rejection, paperNoticeRequested: false }), offices)).toBeNull();
    expect(planParcel(decided({ ...rejection, paperNoticeRequested: true }), offices)).toMatchObject({
      kind: 'rejection_notice',
      documentNumber: null,
      departmentId: '440306-rsj',
    });
  });

  it('dispatches from the street hall when a community centre without a window accepted the case', () => {
    expect(dispatchOffice('440306001002', offices)).toBe('440306001');
    expect(dispatchOffice('440306001001', offices)).toBe('440306001001');
  });
});
