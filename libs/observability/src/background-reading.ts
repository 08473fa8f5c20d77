/**
 * A value a metric reports that is costly to read (a broker round trip, a dependency probe): the
 * first `get` waits for a reading; later ones answer from the last reading at once and, when it is
 * older than `maxAgeMs`, start the next one without waiting. A scrape must not wait: under load
 * the answers slow down, a scrape that waits misses Prometheus's timeout, and every series of the
 * service vanishes for that scrape, just when alerts need them. `read` must not reject.
 */
export class BackgroundReading<Value> {
  private last?: { at: number; value: Value };
  private reading?: Promise<Value>;

  constructor(
    private readonly read: () => Promise<Value>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<Value> {
    if (!this.last) return this.refresh();
    if (Date.now() - this.last.at >= this.maxAgeMs) void this.refresh();
    return Promise.resolve(this.last.value);
  }

  private refresh(): Promise<Value> {
    this.reading ??= this.read()
      .then((value) => {
        this.last = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
