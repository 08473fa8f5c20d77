import { maskPhone, maskResidentId } from './masking';
import { attemptReidentification } from './reidentification';
import { generatePhone, generateResidentId } from './synthetic-pii';

const truth = { idNumber: generateResidentId({ birthDate: '1990-03-08' }), phone: generatePhone() };
const masks = [maskResidentId(truth.idNumber), maskPhone(truth.phone)];

describe('attemptReidentification', () => {
  it('rebuilds the ID number from its mask and the birth date, as v1 events allowed', () => {
    const event = JSON.stringify({ idNumber: { masked: masks[0] }, birthDate: '1990-03-08' });
    expect(attemptReidentification([event], truth).idNumber).toEqual({ rebuilt: true, candidates: 1 });
    // The birth date may come from another text than the mask, and in another spelling.
    expect(attemptReidentification([masks[0]!, '出生 1990年3月8日'], truth).idNumber.rebuilt).toBe(true);
  });

  it('rebuilds a number shown in clear, plain or in groups', () => {
    expect(attemptReidentification([`id ${truth.idNumber}`], truth).idNumber.rebuilt).toBe(true);
    const grouped = `${truth.phone.slice(0, 3)} ${truth.phone.slice(3, 7)} ${truth.phone.slice(7)}`;
    expect(attemptReidentification([`tel ${grouped}`], truth).phone.rebuilt).toBe(true);
  });

  it('rebuilds the phone from two masks that show different digits', () => {
    const other = `${truth.phone.slice(0, 7)}****`;
    expect(attemptReidentification([masks[1]!], truth).phone).toEqual({ rebuilt: false, candidates: 10_000 });
    expect(attemptReidentification([masks[1]!, other], truth).phone).toEqual({
      rebuilt: true,
      candidates: 1,
    });
  });

  it('leaves the masks alone with every birth date of an age band to try', () => {
    const result = attemptReidentification([...masks, 'ageBand 18-59', '2026-12-04T10:00:00.000Z'], truth, {
      birthDateRange: ['1966-12-05', '2008-12-04'],
    });
    expect(result.idNumber.rebuilt).toBe(false);
    // One date in eleven has the right check character.
    expect(result.idNumber.candidates).toBeGreaterThan(1_200);
    expect(result.idNumber.candidates).toBeLessThan(1_600);
    expect(result.phone).toEqual({ rebuilt: false, candidates: 10_000 });
  });

  it('ignores masks of other people', () => {
    const other = { idNumber: generateResidentId({ birthDate: '1975-01-01' }), phone: generatePhone() };
    const texts = [maskResidentId(other.idNumber), maskPhone(other.phone), '1975-01-01'];
    expect(attemptReidentification(texts, truth).idNumber.rebuilt).toBe(false);
  });
});
