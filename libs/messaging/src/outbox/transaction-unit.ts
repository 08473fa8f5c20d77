import { Logger } from '@nestjs/common';
import type { TongbanEvent } from '@tongban/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { appendToOutbox } from './outbox';

/**
 * One transaction's work as every writer sees it, a Kafka handler or an HTTP action: the manager
 * its writes go through, `publish` for its events (outbox rows in the same transaction) and
 * `afterCommit` for what must happen only once the transaction committed (metrics, logs).
 */
export interface TransactionUnit {
  readonly manager: EntityManager;
  /** Queues follow-up events in the same transaction (transactional outbox). */
  publish(events: TongbanEvent | readonly TongbanEvent[]): Promise<void>;
  /** Runs `work` after the commit; never after a rollback, never twice for a retried attempt. */
  afterCommit(work: () => void): void;
}

const logger = new Logger('TransactionUnit');

/** Collects the post-commit work of one attempt; `run` once it committed. */
export class AfterCommit {
  private readonly work: (() => void)[] = [];

  add(work: () => void): void {
    this.work.push(work);
  }

  /** A failure is logged, not thrown: the transaction has committed and stays committed. */
  run(): void {
    for (const work of this.work.splice(0)) {
      try {
        work();
      } catch (error) {
        logger.error({ msg: 'post-commit work failed', err: error });
      }
    }
  }
}

export function transactionUnit(manager: EntityManager, afterCommit: AfterCommit): TransactionUnit {
  return {
    manager,
    publish: (events) => appendToOutbox(manager, events),
    afterCommit: (work) => afterCommit.add(work),
  };
}

/** Runs `work` in a transaction and its post-commit work once it committed. */
export async function inTransaction<Result>(
  dataSource: DataSource,
  work: (unit: TransactionUnit) => Promise<Result>,
): Promise<Result> {
  let pending = new AfterCommit();
  const result = await dataSource.transaction((manager) => {
    pending = new AfterCommit();
    return work(transactionUnit(manager, pending));
  });
  pending.run();
  return result;
}
