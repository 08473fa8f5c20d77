import { Injectable, Logger } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { claimEvent } from './inbox';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/i;

function eventIdOf(payload: unknown): string | undefined {
  const eventId = (payload as { eventId?: unknown } | null)?.eventId;
  return typeof eventId === 'string' && UUID.test(eventId) ? eventId : undefined;
}

/** Records each delivered event once per handler; the first step of every consumer. */
@Injectable()
export class InboxRecorder {
  private readonly logger = new Logger(InboxRecorder.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns true when this delivery is the first for the handler, false for a redelivery. */
  async record(handler: string, payload: unknown, context: KafkaContext): Promise<boolean> {
    const where = {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: context.getMessage().offset,
    };
    const eventId = eventIdOf(payload);
    if (!eventId) {
      this.logger.warn({ msg: 'event without a valid eventId ignored', handler, ...where });
      return false;
    }
    const first = await this.dataSource.transaction((manager) =>
      claimEvent(manager, handler, { eventId, ...where }),
    );
    this.logger.log({
      msg: first ? 'event recorded' : 'redelivered event ignored',
      handler,
      eventId,
      ...where,
    });
    return first;
  }
}
