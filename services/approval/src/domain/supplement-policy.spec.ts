import { checkSupplementRequest, type PriorRequest } from './supplement-policy';

const answered = (departmentId: string, round: number, answeredMaterials: string[]): PriorRequest => ({
  departmentId,
  round,
  answered: true,
  withdrawn: false,
  answeredMaterials,
});

describe('一次性告知 rules', () => {
  it('lets a department list anything in its first request, as round 1', () => {
    expect(checkSupplementRequest('rsj', ['id_card', 'bank_account'], [])).toEqual({ ok: true, round: 1 });
  });

  it('refuses a second request while the round is open, from any department', () => {
    const open: PriorRequest = { ...answered('rsj', 1, []), answered: false };
    expect(checkSupplementRequest('rsj', ['id_card'], [open])).toEqual({
      ok: false,
      reason: 'round_open',
      round: 1,
      departmentId: 'rsj',
    });
    expect(checkSupplementRequest('sw', ['tax_form'], [open])).toMatchObject({
      ok: false,
      reason: 'round_open',
    });
  });

  it('lets a later round ask only about materials the applicant changed', () => {
    const history = [answered('rsj', 1, ['bank_account'])];
    expect(checkSupplementRequest('rsj', ['bank_account'], history)).toEqual({ ok: true, round: 2 });
    expect(checkSupplementRequest('rsj', ['bank_account', 'id_card'], history)).toEqual({
      ok: false,
      reason: 'not_changed',
      materials: ['id_card'],
    });
  });

  it('counts materials changed in other departments’ later rounds, and lets a new department ask freely', () => {
    const history = [answered('scjg', 1, ['premises_proof']), answered('sw', 2, ['tax_form'])];
    expect(checkSupplementRequest('scjg', ['tax_form', 'premises_proof'], history)).toEqual({
      ok: true,
      round: 3,
    });
    expect(checkSupplementRequest('sw', ['premises_proof'], history)).toMatchObject({
      reason: 'not_changed',
    });
    expect(checkSupplementRequest('ga', ['seal_form'], history)).toEqual({ ok: true, round: 3 });
  });

  it('ignores withdrawn requests of a superseded routing', () => {
    const withdrawn: PriorRequest = { ...answered('rsj', 1, []), answered: false, withdrawn: true };
    expect(checkSupplementRequest('rsj', ['id_card'], [withdrawn])).toEqual({ ok: true, round: 2 });
  });
});
