import { loadReferenceData } from '@tongban/reference-data';
import { heldForRongque } from './rongque-hold';

const data = loadReferenceData();

describe('heldForRongque', () => {
  const card = data.item('RS-SBKSL-003');

  it('holds a 社保卡 result while the photo is outstanding, and releases it once handed in', () => {
    expect(heldForRongque(card, 'result', ['photo'])).toBe(true);
    expect(heldForRongque(card, 'result', [])).toBe(false);
  });

  it('never holds a rejection notice, nor the result of an item that does not ask for it', () => {
    expect(heldForRongque(card, 'rejection_notice', ['photo'])).toBe(false);
    expect(heldForRongque(data.item('RS-SYBXJ-001'), 'result', ['bank_account'])).toBe(false);
  });
});
