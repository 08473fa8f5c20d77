import { type SoakWindow, soakTrends, soakWindow, trend, type WindowReadings } from './soak-windows';

const MINUTE = 60000;

const readings = (overrides: Partial<WindowReadings> = {}): WindowReadings => ({
  usage: [{ name: 'intake', cpuCores: 0.2, peakMemoryMiB: 200 }],
  maxLag: { intake: 5 },
  lagAtEnd: { intake: 5 },
  databaseBytes: { intake: 1e6 },
  topicRecords: 100,
  ...overrides,
});

describe('soakWindow', () => {
  it('counts cases by acceptance time, completions by their own time, and leaves unfinished ones out of latency', () => {
    const cases = [
      { acceptedAt: 1000, postMs: 5, completedAt: 1300 }, // window 0, done in window 0
      { acceptedAt: 59000, postMs: 7, completedAt: 61000 }, // window 0, done in window 1
      { acceptedAt: 59500, postMs: 9 }, // window 0, unfinished
      { acceptedAt: 60500, postMs: 6, completedAt: 60600 }, // window 1
    ];
    const first = soakWindow(0, 0, MINUTE, cases, 2, readings());
    expect(first.accepted).toBe(3);
    expect(first.unfinished).toBe(1);
    expect(first.failedPosts).toBe(2);
    expect(first.endToEndMs.count).toBe(2);
    expect(first.endToEndMs.max).toBe(2000);
    expect(first.completedPerSecond).toBeCloseTo(1 / 60);
    const second = soakWindow(1, MINUTE, 2 * MINUTE, cases, 0, readings());
    expect(second.accepted).toBe(1);
    expect(second.completedPerSecond).toBeCloseTo(2 / 60);
  });
});

describe('trend', () => {
  it('judges from the second window, so the warm-up window does not count as growth', () => {
    expect(trend('m', [100, 200, 210, 220], 0.15).levelsOff).toBe(true);
    expect(trend('m', [100, 200, 250, 300], 0.15)).toMatchObject({ from: 200, last: 300, levelsOff: false });
  });

  it('flags a series that starts at zero and grows', () => {
    expect(trend('m', [0, 0, 5], 0.15).levelsOff).toBe(false);
    expect(trend('m', [0, 0, 0], 0.15).levelsOff).toBe(true);
  });
});

describe('soakTrends', () => {
  const windows = (lags: number[], memory: number[]): SoakWindow[] =>
    lags.map((lag, index) =>
      soakWindow(
        index,
        index * 5 * MINUTE,
        (index + 1) * 5 * MINUTE,
        // 30 cases/s accepted in every window.
        Array.from({ length: 9000 }, (_, n) => ({
          acceptedAt: index * 5 * MINUTE + n * 33,
          postMs: 5,
          completedAt: index * 5 * MINUTE + n * 33 + 100,
        })),
        0,
        readings({
          lagAtEnd: { routing: lag },
          usage: [{ name: 'routing', cpuCores: 0.2, peakMemoryMiB: memory[index]! }],
        }),
      ),
    );

  it('passes a pipeline that keeps up with flat memory', () => {
    expect(soakTrends(windows([10, 40, 20], [200, 210, 215])).every((item) => item.levelsOff)).toBe(true);
  });

  it('flags a consumer group more than ten seconds of load behind, and memory that keeps growing', () => {
    const verdicts = soakTrends(windows([10, 200, 400], [200, 260, 330]));
    expect(verdicts.find((item) => item.what.startsWith('consumer lag'))).toMatchObject({ levelsOff: false });
    expect(verdicts.find((item) => item.what.startsWith('peak memory'))).toMatchObject({ levelsOff: false });
  });
});
