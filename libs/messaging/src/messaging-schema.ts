import { CreateProcessedEvents1764000000000 } from './migrations/1764000000000-create-processed-events';
import { CreateOutbox1764100000000 } from './migrations/1764100000000-create-outbox';
import { OutboxPendingQueue1765100000000 } from './migrations/1765100000000-outbox-pending-queue';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { ProcessedEventEntity } from './processed-event.entity';

/** The tables every service database needs for messaging, to spread into its DataSource options. */
export const MESSAGING_ENTITIES = [ProcessedEventEntity, OutboxMessageEntity];
export const MESSAGING_MIGRATIONS = [
  CreateProcessedEvents1764000000000,
  CreateOutbox1764100000000,
  OutboxPendingQueue1765100000000,
];
