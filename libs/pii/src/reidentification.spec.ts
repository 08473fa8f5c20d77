import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { maskPhone, maskResidentId } from './masking';
import { attemptReidentification } from './reidentification';
import { residentIdCheckChar } from './resident-id';
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

// Every event type as its latest version publishes it (the contracts' fixtures): an applicant
// whose numbers agree with the fixtures' masks cannot be rebuilt from all of them together.
describe('attemptReidentification over the published event fixtures', () => {
  const fixtures = path.resolve(__dirname, '../../contracts/fixtures');
  const latest = new Map<string, string>();
  for (const version of readdirSync(fixtures).sort())
    for (const file of readdirSync(path.join(fixtures, version)))
      latest.set(file, readFileSync(path.join(fixtures, version, file), 'utf8'));
  // An ID number behind the fixtures' mask 440306********002X, born inside the fixtures' age band.
  const behindMask = (from: string, to: string) => {
    for (let day = Date.parse(from); day <= Date.parse(to); day += 86_400_000) {
      const first17 = `440306${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}002`;
      if (residentIdCheckChar(first17) === 'X') return `${first17}X`;
    }
    throw new Error('no ID number behind the mask');
  };

  it('leaves the ID number and the phone number of the fixtures’ applicant among many candidates', () => {
    const texts = [...latest.values()];
    expect(texts.some((text) => text.includes('"ageBand": "18-59"'))).toBe(true);
    expect(texts.some((text) => text.includes('birthDate'))).toBe(false);
    const range = ['1967-11-25', '2008-11-24'] as const;
    const truth = { idNumber: behindMask(...range), phone: '13812340000' };
    const result = attemptReidentification(texts, truth, { birthDateRange: range });
    expect(result.idNumber.rebuilt).toBe(false);
    expect(result.idNumber.candidates).toBeGreaterThan(1_000);
    expect(result.phone).toEqual({ rebuilt: false, candidates: 10_000 });
  });

  it('would have rebuilt it from the v1 fixture of case.submitted, which carried the birth date', () => {
    const v1 = readFileSync(path.join(fixtures, 'v1', 'case.submitted.json'), 'utf8');
    const birthDate = /"birthDate": "(\d{4}-\d{2}-\d{2})"/.exec(v1)![1]!;
    const first17 = `440306${birthDate.replaceAll('-', '')}002`;
    const truth = { idNumber: `${first17}${residentIdCheckChar(first17)}`, phone: '13812340000' };
    const masked = v1.replace('440306********002X', maskResidentId(truth.idNumber));
    expect(attemptReidentification([masked], truth).idNumber.rebuilt).toBe(true);
  });
});
