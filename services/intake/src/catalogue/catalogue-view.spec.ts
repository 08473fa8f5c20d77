import { loadReferenceData } from '@tongban/reference-data';
import { catalogueItemView, catalogueOfficeView } from './catalogue-view';

const data = loadReferenceData();

describe('catalogueItemView', () => {
  it('marks 容缺-allowed and conditional materials', () => {
    const view = catalogueItemView(data, data.item('RS-SBKSL-003')!);
    expect(view.materials.map((m) => [m.code, m.critical, m.rongqueAllowed, m.appliesWhenText])).toEqual([
      ['id_card', true, false, []],
      ['photo', false, true, []],
      ['guardian_id_card', false, false, ['applicant aged 17 or younger']],
    ]);
    expect(view.rongque).toEqual({ allowed: true, supplementDays: 5 });
    expect(view.timeLimits).toEqual({ legalDays: 15, promisedDays: 7 });
  });

  it('lists the offices the item’s scope lets accept it', () => {
    const company = catalogueItemView(data, data.item('SJ-NZGS-002')!);
    // Street halls only: 宝安's 新安 hall yes, its community centres no.
    expect(company.acceptingOfficeIds).toContain('440306001');
    expect(company.acceptingOfficeIds).not.toContain('440306001001');
    expect(company.acceptingOfficeIds.every((id) => data.office(id)!.type === 'street_hall')).toBe(true);
  });
});

describe('catalogueOfficeView', () => {
  it('gives the district’s hours, Saturday hours only where the office offers Saturday service', () => {
    const huizhou = data.offices({ district: '441305' });
    const open = huizhou.find((office) => office.saturdayService)!;
    const closed = huizhou.find((office) => !office.saturdayService)!;
    expect(catalogueOfficeView(data, open)).toMatchObject({
      businessHours: [
        { open: '08:30', close: '12:00' },
        { open: '14:00', close: '17:30' },
      ],
      saturdayService: true,
    });
    // 仲恺's halls open Saturdays morning and afternoon (field report of 2026-12).
    expect(catalogueOfficeView(data, open).saturdayServiceHours).toEqual([
      { open: '08:30', close: '12:00' },
      { open: '14:00', close: '17:30' },
    ]);
    expect(catalogueOfficeView(data, closed).saturdayServiceHours).toEqual([]);
  });
});
