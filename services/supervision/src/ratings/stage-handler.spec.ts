import type { CaseFactRow } from '../database/supervision-tables';
import { isBadRating, levelOfScore } from './satisfaction';
import { stageHandler } from './stage-handler';

const accepted = {
  case_id: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d',
  receipt_number: '440306001-20261124-0001',
  item_code: 'RS-SYBXJ-001',
  accepting_office_id: '440306001',
  accepting_district: '440306',
  accepted_at: new Date('2026-11-24T02:00:00Z'),
  accepted_by: 'staff-xinan',
  department_id: '440306-rsj',
} as Partial<CaseFactRow>;

const facts = (more: Partial<CaseFactRow> = {}) => ({ ...accepted, ...more }) as CaseFactRow;

describe('the handler of a rated stage', () => {
  it('is the accepting staff member for acceptance', () => {
    expect(stageHandler(facts(), 'acceptance')).toEqual({
      ok: true,
      handler: {
        officeId: '440306001',
        district: '440306',
        itemCode: 'RS-SYBXJ-001',
        departmentId: '440306-rsj',
        staffSub: 'staff-xinan',
        staffRole: 'office_staff',
        courierId: null,
      },
    });
  });

  it('refuses a stage the case never went through, naming it', () => {
    expect(stageHandler(facts(), 'decision')).toEqual({ ok: false, reason: 'the case has not been decided' });
    expect(stageHandler(facts(), 'handover')).toEqual({
      ok: false,
      reason: 'the result has not been handed over',
    });
  });

  it('is the reviewer for a reviewed decision and nobody for 秒批', () => {
    const reviewed = stageHandler(
      facts({
        decided_at: new Date(),
        decision_origin: 'reviewer',
        decided_by: 'reviewer-rsj',
        decision_department_id: '440306-rsj',
      }),
      'decision',
    );
    expect(reviewed).toMatchObject({
      ok: true,
      handler: { staffSub: 'reviewer-rsj', staffRole: 'reviewer' },
    });
    const auto = stageHandler(
      facts({ decided_at: new Date(), decision_origin: 'auto', decided_by: 'system' }),
      'decision',
    );
    expect(auto).toMatchObject({ ok: true, handler: { staffSub: null, staffRole: 'system' } });
  });

  it('is the courier at the door, or the window that handed the result over', () => {
    expect(
      stageHandler(
        facts({
          handed_over_at: new Date(),
          handed_over_by: 'courier-01',
          handover_role: 'courier',
          handover_courier_id: 'courier-01',
        }),
        'handover',
      ),
    ).toMatchObject({
      ok: true,
      handler: { staffSub: 'courier-01', courierId: 'courier-01', officeId: '440306001' },
    });
    expect(
      stageHandler(
        facts({
          handed_over_at: new Date(),
          handed_over_by: 'staff-xixiang',
          handover_role: 'office_staff',
          handover_office_id: '440306002',
        }),
        'handover',
      ),
    ).toMatchObject({ ok: true, handler: { staffSub: 'staff-xixiang', officeId: '440306002' } });
  });
});

describe('levels', () => {
  it('maps intake’s 1–5 score onto the five levels and counts the lower two as 差评', () => {
    expect([5, 4, 3, 2, 1].map(levelOfScore)).toEqual([
      'very_satisfied',
      'satisfied',
      'basically_satisfied',
      'dissatisfied',
      'very_dissatisfied',
    ]);
    expect(() => levelOfScore(6)).toThrow(RangeError);
    expect(
      ['dissatisfied', 'very_dissatisfied', 'basically_satisfied'].map((l) => isBadRating(l as never)),
    ).toEqual([true, true, false]);
  });
});
