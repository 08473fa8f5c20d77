import { loadReferenceData } from '@tongban/reference-data';
import { courierAssignmentIssues } from './courier-assignment';

const data = loadReferenceData();

describe('courierAssignmentIssues', () => {
  it('lets a desk assign an active courier serving its district', () => {
    expect(courierAssignmentIssues('courier-01', data.courier('courier-01'), '440306')).toEqual([]);
  });

  it('names courierId for an unknown, an inactive or an out-of-district courier', () => {
    expect(courierAssignmentIssues('courier-77', data.courier('courier-77'), '440306')).toEqual([
      { field: 'courierId', reason: expect.stringMatching(/no courier "courier-77"/) },
    ]);
    expect(courierAssignmentIssues('courier-09', data.courier('courier-09'), '440306')).toEqual([
      { field: 'courierId', reason: 'courier courier-09 is inactive' },
    ]);
    const only宝安 = { id: 'courier-x', name: 'x', districts: ['440306'], active: true };
    expect(courierAssignmentIssues('courier-x', only宝安, '440303')).toEqual([
      { field: 'courierId', reason: 'courier courier-x does not serve district 440303' },
    ]);
  });
});
