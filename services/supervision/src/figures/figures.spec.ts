import {
  type CaseCounts,
  combineFigures,
  monthPeriod,
  periodOf,
  rankWindows,
  ratio,
  type RatingCounts,
} from './figures';

const cases = (key: string, overrides: Partial<CaseCounts> = {}): CaseCounts => ({
  key,
  accepted: 10,
  decided: 8,
  on_time_legal: 6,
  with_promise: 8,
  on_time_promised: 4,
  instant: 2,
  avg_working_days: 2.3456,
  p90_working_days: 4.5,
  supplement_rounds: 3,
  rongque: 4,
  rongque_completed: 1,
  routed: 10,
  cross_district: 5,
  ...overrides,
});

const rated = (key: string, overrides: Partial<RatingCounts> = {}): RatingCounts => ({
  key,
  ratings: 4,
  satisfied: 3,
  bad: 1,
  visited: 1,
  rectified: 1,
  rectified_on_time: 1,
  explained: 0,
  withdrawn: 0,
  open: 0,
  ...overrides,
});

describe('service-quality figures', () => {
  it('computes the rates from the counts, null where nothing divides', () => {
    const [figures] = combineFigures([cases('440306001')], [rated('440306001')]);
    expect(figures).toMatchObject({
      key: '440306001',
      onTimeRateLegal: 0.75,
      onTimeRatePromised: 0.5,
      instantRate: 0.25,
      avgWorkingDays: 2.35,
      p90WorkingDays: 4.5,
      supplementRoundsPerCase: 0.3,
      rongqueCompletionRate: 0.25,
      crossDistrictShare: 0.5,
      satisfactionRate: 0.75,
      returnVisitRate: 1,
      handledRate: 1,
    });
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 3)).toBe(0.3333);
  });

  it('keeps a key with only cases or only ratings, counting zeros for the other', () => {
    const figures = combineFigures([cases('a')], [rated('b')]);
    expect(figures.map((f) => f.key)).toEqual(['a', 'b']);
    expect(figures[0]).toMatchObject({ ratings: 0, satisfactionRate: null });
    expect(figures[1]).toMatchObject({ accepted: 0, onTimeRateLegal: null, supplementRoundsPerCase: null });
  });

  it('ranks windows by satisfaction, then on-time rate, with ties sharing a rank and unrated ones last', () => {
    const ranked = rankWindows(
      combineFigures(
        [cases('a'), cases('b'), cases('c', { on_time_legal: 8 }), cases('d'), cases('e')],
        [rated('a', { satisfied: 2 }), rated('b'), rated('c'), rated('d', { satisfied: 2 })],
      ),
    );
    expect(ranked.map((w) => [w.key, w.rank])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
      ['d', 3],
      ['e', 5],
    ]);
  });

  it('turns China dates into an instant range and a month into its days', () => {
    expect(periodOf('2026-11-01', '2026-11-30')).toEqual({
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
    expect(monthPeriod('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});
