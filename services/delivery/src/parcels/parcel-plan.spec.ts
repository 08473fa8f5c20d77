import { loadReferenceData } from '@tongban/reference-data';
import { sampleEvent } from '@tongban/testing';
import { dispatchOffice, planParcel } from './parcel-plan';

const offices = loadReferenceData();
const approved = sampleEvent('case.decided');
const snapshot = approved.payload.case;

function decided(payload: Record<string, unknown>) {
  return sampleEvent('case.decided', { payload });
}

// v1 fixtures carry the address in clear: nothing to open.
const clearOnly = () => {
  throw new Error('a v1 address is in clear and must not be unsealed');
};

describe('parcel plan', () => {
  it('sends an approval’s result to the applicant’s door from the accepting office', () => {
    expect(planParcel(approved, offices, clearOnly)).toEqual({
      kind: 'result',
      method: 'courier',
      officeId: '440306001',
      departmentId: '440306-rsj',
      documentNumber: approved.payload.resultDocument!.number,
      documents: [
        {
          number: approved.payload.resultDocument!.number,
          title: approved.payload.resultDocument!.title,
          departmentId: '440306-rsj',
        },
      ],
      address: snapshot.delivery.method === 'courier' ? snapshot.delivery.address : null,
      note: null,
    });
  });

  it('carries every department’s document of an N证联办 approval, primary first', () => {
    const documents = [
      {
        number: '罗市监〔2026〕1号',
        title: '营业执照',
        departmentId: '440303-scjg',
        issuedAt: '2026-12-01T02:00:00.000Z',
      },
      {
        number: '罗税〔2026〕2号',
        title: '税务登记信息确认',
        departmentId: '440303-sw',
        issuedAt: '2026-12-01T02:00:00.000Z',
      },
      {
        number: '罗公〔2026〕3号',
        title: '公章刻制备案',
        departmentId: '440303-ga',
        issuedAt: '2026-12-01T02:00:00.000Z',
      },
    ];
    const plan = planParcel(
      decided({ resultDocument: documents[0], resultDocuments: documents }),
      offices,
      clearOnly,
    );
    expect(plan?.documentNumber).toBe('罗市监〔2026〕1号');
    expect(plan?.documents).toEqual(documents.map(({ issuedAt: _at, ...document }) => document));
  });

  it('opens a v2 address, sealed by intake, for the courier', () => {
    const sealed = { ciphertext: 'v1.k1.c2VhbGVk', masked: '新安一路**号' };
    const v2 = {
      ...approved,
      version: 2,
      payload: {
        ...approved.payload,
        case: {
          ...snapshot,
          delivery: { method: 'courier', address: { districtCode: '440306', detail: sealed } },
        },
      },
    } as unknown as Parameters<typeof planParcel>[0];
    const plan = planParcel(v2, offices, (value) => (value === sealed ? '新安一路15号' : 'wrong value'));
    expect(plan).toMatchObject({
      method: 'courier',
      address: { districtCode: '440306', detail: '新安一路15号' },
    });
  });

  it('keeps a result for pickup at the office chosen at submission (通取)', () => {
    const plan = planParcel(
      decided({ case: { ...snapshot, delivery: { method: 'pickup', officeId: '440303001' } } }),
      offices,
      clearOnly,
    );
    expect(plan).toMatchObject({ method: 'pickup', officeId: '440303001', address: null });
  });

  it('falls back to the dispatch office when the chosen office has no window', () => {
    const plan = planParcel(
      decided({ case: { ...snapshot, delivery: { method: 'pickup', officeId: '440306001002' } } }),
      offices,
      clearOnly,
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
    expect(planParcel(decided({ ...rejection, paperNoticeRequested: false }), offices, clearOnly)).toBeNull();
    expect(
      planParcel(decided({ ...rejection, paperNoticeRequested: true }), offices, clearOnly),
    ).toMatchObject({
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
