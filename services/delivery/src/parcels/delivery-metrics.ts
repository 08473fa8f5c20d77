import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type ParcelsByState, ParcelStore, type WindowBacklog } from './parcel-store';

interface ScrapeRows {
  readonly byState: readonly ParcelsByState[];
  readonly windows: readonly WindowBacklog[];
}

/**
 * Delivery's metrics. Labels are bounded (states, offices, methods, reasons), never parcel ids,
 * tracking numbers or anything about the applicant. Parcels by state and the window backlog are
 * read from Postgres at scrape time, so every instance reports the same truth.
 */
@Injectable()
export class DeliveryMetrics {
  readonly created: Counter<'method' | 'kind'>;
  readonly failures: Counter<'reason'>;
  readonly attemptsPerDelivery: Histogram<'method'>;
  readonly decisionToDelivery: Histogram<'method' | 'outcome'>;
  readonly proofChecks: Counter<'channel' | 'proof' | 'result'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry, store: ParcelStore) {
    // One scrape collects all three gauges; they share the queries while they are in flight.
    let inFlight: Promise<ScrapeRows> | undefined;
    const read = () =>
      (inFlight ??= Promise.all([store.parcelsByState(), store.windowBacklog()])
        .then(([byState, windows]) => ({ byState, windows }))
        .finally(() => {
          inFlight = undefined;
        }));

    new Gauge({
      name: 'tongban_delivery_parcels',
      help: 'Parcels by state, office (dispatch desk or pickup window) and method',
      labelNames: ['state', 'office', 'method'],
      registers: [registry],
      async collect() {
        const { byState } = await read();
        this.reset();
        for (const row of byState)
          this.set({ state: row.state, office: row.office, method: row.method }, row.parcels);
      },
    });
    new Gauge({
      name: 'tongban_delivery_window_waiting_parcels',
      help: 'Parcels waiting at a pickup window (ready_for_pickup or returned_to_window), by office',
      labelNames: ['office'],
      registers: [registry],
      async collect() {
        const { windows } = await read();
        this.reset();
        for (const row of windows) this.set({ office: row.office }, row.parcels);
      },
    });
    new Gauge({
      name: 'tongban_delivery_window_oldest_waiting_age_seconds',
      help: 'How long the oldest parcel waiting at a pickup window has been there, by office',
      labelNames: ['office'],
      registers: [registry],
      async collect() {
        const { windows } = await read();
        this.reset();
        for (const row of windows) this.set({ office: row.office }, row.oldest);
      },
    });
    this.created = new Counter({
      name: 'tongban_delivery_parcels_created_total',
      help: 'Parcels created from case.decided, by method and kind (result, rejection_notice)',
      labelNames: ['method', 'kind'],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'tongban_delivery_failed_attempts_total',
      help: 'Failed door-delivery attempts, by reason code',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.attemptsPerDelivery = new Histogram({
      name: 'tongban_delivery_attempts_per_delivery',
      help: 'Door-delivery attempts a delivered parcel took (1 = first time)',
      labelNames: ['method'],
      buckets: [1, 2, 3, 4, 5, 8],
      registers: [registry],
    });
    this.decisionToDelivery = new Histogram({
      name: 'tongban_delivery_decision_to_handover_seconds',
      help: 'Time from the decision to the result in the applicant’s hands, by final method and outcome (delivered, collected)',
      labelNames: ['method', 'outcome'],
      buckets: [
        3600,
        4 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        3 * 86400,
        5 * 86400,
        7 * 86400,
        14 * 86400,
        30 * 86400,
      ],
      registers: [registry],
    });
    // The usual outcomes exist from the start at 0, so rate() over the histogram sees the first
    // handover after a (re)start too, instead of a series that begins already counting it.
    for (const labels of [
      { method: 'courier', outcome: 'delivered' },
      { method: 'post', outcome: 'delivered' },
      { method: 'pickup', outcome: 'collected' },
    ])
      this.decisionToDelivery.zero(labels);
    this.proofChecks = new Counter({
      name: 'tongban_delivery_proof_checks_total',
      help: 'Proofs checked at a handover (pickup code, ID last four or a 帮办代办 agent’s ID), by channel (door, window), proof and result (ok, wrong, expired, locked, no_code, throttled)',
      labelNames: ['channel', 'proof', 'result'],
      registers: [registry],
    });
  }
}
