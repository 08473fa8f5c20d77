import { Counter, Histogram, type Registry } from 'prom-client';

export class ConsumerMetrics {
  readonly handled: Counter<'topic' | 'handler' | 'outcome'>;
  readonly retries: Counter<'topic' | 'handler'>;
  readonly deadLetters: Counter<'topic' | 'reason'>;
  readonly duration: Histogram<'topic' | 'handler'>;
  readonly age: Histogram<'topic' | 'handler'>;

  constructor(registry: Registry) {
    this.handled = new Counter({
      name: 'tongban_events_handled_total',
      help: 'Events handled by consumers, by outcome (processed, duplicate, dead_lettered)',
      labelNames: ['topic', 'handler', 'outcome'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'tongban_event_retries_total',
      help: 'Handler attempts that failed and were retried',
      labelNames: ['topic', 'handler'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'tongban_dead_letters_total',
      help: 'Events sent to a dead-letter topic, by reason (invalid, failed)',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'tongban_event_handling_seconds',
      help: 'Time from receiving an event to committing its effect, retries included',
      labelNames: ['topic', 'handler'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    // Consumer lag in messages says nothing about how late cases are; the age of what is being
    // handled does, summed over hops it is the pipeline's end-to-end delay.
    this.age = new Histogram({
      name: 'tongban_event_age_seconds',
      help: "Time from an event's occurredAt to its handler's effect committed: how far behind the consumer is",
      labelNames: ['topic', 'handler'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    });
  }
}
