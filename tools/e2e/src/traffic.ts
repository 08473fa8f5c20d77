import { Journey, type JourneyOptions, type JourneyResult } from './journeys';
import {
  type Actors,
  type CaseKind,
  planCase,
  type PickupCodeSource,
  type TongbanClient,
} from './tongban-client';

export interface Trip {
  readonly kind: CaseKind;
  readonly journey: Journey;
  readonly startedAt: number;
  endedAt?: number;
  error?: Error;
  readonly done: Promise<void>;
}

/** The mix of cases offices submit: door deliveries (some failing once), 秒批, 并联, 一次性告知, triage, rejections. */
export const DEFAULT_MIX: readonly CaseKind[] = [
  'door',
  'instant',
  'parallel',
  'supplement',
  'instant',
  'door',
  'unroutable',
  'reject',
];

/** Starts a journey every `intervalMs` until stopped; every trip is kept for reconciliation. */
export class Traffic {
  readonly trips: Trip[] = [];
  private timer?: NodeJS.Timeout;
  private next = 0;

  constructor(
    private readonly client: TongbanClient,
    private readonly sms: PickupCodeSource,
    /** The staff, reviewers and couriers of a trip: one set for all, or one per trip (rate limits are per subject). */
    private readonly who: Actors | ((n: number) => Actors),
    private readonly mix: readonly CaseKind[] = DEFAULT_MIX,
    private readonly options: (kind: CaseKind, n: number) => JourneyOptions = () => ({}),
  ) {}

  launch(): Trip {
    const n = this.next++;
    const kind = this.mix[n % this.mix.length]!;
    const who = typeof this.who === 'function' ? this.who(n) : this.who;
    const journey = new Journey(this.client, this.sms, who, planCase(kind), this.options(kind, n));
    const trip: Trip = {
      kind,
      journey,
      startedAt: Date.now(),
      done: journey.run().then(
        () => {
          trip.endedAt = Date.now();
        },
        (error: unknown) => {
          trip.endedAt = Date.now();
          trip.error = error instanceof Error ? error : new Error(String(error));
        },
      ),
    };
    this.trips.push(trip);
    return trip;
  }

  start(intervalMs: number): void {
    this.stop();
    this.launch();
    this.timer = setInterval(() => this.launch(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  inFlight(): Trip[] {
    return this.trips.filter((trip) => trip.endedAt === undefined);
  }

  /** Waits for every trip started so far. */
  async settle(): Promise<Trip[]> {
    const trips = [...this.trips];
    await Promise.all(trips.map((trip) => trip.done));
    return trips;
  }

  results(): JourneyResult[] {
    return this.trips.map((trip) => trip.journey.result);
  }
}
