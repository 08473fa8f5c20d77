import { BackgroundReading } from './background-reading';

describe('BackgroundReading', () => {
  it('waits for the first reading, then answers from the last while the next one runs', async () => {
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const pending: ((value: number) => void)[] = [];
    let reads = 0;
    const reading = new BackgroundReading(
      () =>
        new Promise<number>((resolve) => {
          reads++;
          pending.push(resolve);
        }),
      5000,
    );
    const first = reading.get();
    pending.shift()!(1);
    expect(await first).toBe(1);
    now = 4999;
    expect(await reading.get()).toBe(1);
    expect(reads).toBe(1);
    now = 5000;
    expect(await reading.get()).toBe(1); // stale: answered at once, a new read started
    expect(await reading.get()).toBe(1); // one read at a time
    expect(reads).toBe(2);
    pending.shift()!(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await reading.get()).toBe(2);
    jest.restoreAllMocks();
  });
});
