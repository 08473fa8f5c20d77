import { assessHandIn } from './rongque';

describe('assessHandIn (容缺后补 without a request)', () => {
  it('takes some or all outstanding materials and says what is still missing', () => {
    expect(assessHandIn(['photo', 'bank_account'], [{ code: 'photo' }])).toEqual({
      ok: true,
      handedIn: ['photo'],
      outstanding: ['bank_account'],
    });
    expect(assessHandIn(['photo'], [{ code: 'photo' }, { code: 'photo' }])).toEqual({
      ok: true,
      handedIn: ['photo'],
      outstanding: [],
    });
  });

  it('names every material that is not outstanding', () => {
    expect(assessHandIn(['photo'], [{ code: 'id_card' }, { code: 'photo' }, { code: 'x' }])).toEqual({
      ok: false,
      issues: [
        { field: 'materials.0.code', reason: expect.stringMatching(/id_card is not an outstanding/) },
        { field: 'materials.2.code', reason: expect.stringMatching(/x is not an outstanding/) },
      ],
    });
  });

  it('is a conflict when nothing is outstanding', () => {
    expect(assessHandIn([], [{ code: 'photo' }])).toEqual({ ok: false, conflict: expect.any(String) });
  });
});
