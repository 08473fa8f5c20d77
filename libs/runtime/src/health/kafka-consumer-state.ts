import { Injectable } from '@nestjs/common';

/** Last status reported by the service's Kafka consumer (Nest's KafkaStatus values). */
@Injectable()
export class KafkaConsumerState {
  private current = 'disconnected';

  update(status: string): void {
    this.current = status;
  }

  get status(): string {
    return this.current;
  }

  /** A crashed or stopped consumer no longer reads its topics, whatever the broker says. */
  get isFailed(): boolean {
    return this.current === 'crashed' || this.current === 'stopped';
  }
}
