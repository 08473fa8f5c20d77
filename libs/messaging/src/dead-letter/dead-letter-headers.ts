import type { MessageHeaders } from '../tracing/trace-headers';

/** The metadata a dead letter carries next to the original key, value and headers. */
export interface DeadLetterInfo {
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly attempts: number;
  readonly firstFailureAt: Date;
  readonly lastFailureAt: Date;
  readonly consumerGroup: string;
  readonly handler: string;
}

export const DEAD_LETTER_HEADERS = Object.freeze({
  errorClass: 'dlq-error-class',
  errorMessage: 'dlq-error-message',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  attempts: 'dlq-attempts',
  firstFailureAt: 'dlq-first-failure-at',
  lastFailureAt: 'dlq-last-failure-at',
  consumerGroup: 'dlq-consumer-group',
  handler: 'dlq-handler',
} as const);

/** Marks a message an operator sent back to its topic from a dead-letter topic. */
export const REPLAYED_FROM_HEADER = 'dlq-replayed-from';

const MAX_MESSAGE_LENGTH = 2000;

export function deadLetterHeaders(info: DeadLetterInfo): MessageHeaders {
  return {
    [DEAD_LETTER_HEADERS.errorClass]: info.errorClass,
    [DEAD_LETTER_HEADERS.errorMessage]: info.errorMessage.slice(0, MAX_MESSAGE_LENGTH),
    [DEAD_LETTER_HEADERS.originalTopic]: info.originalTopic,
    [DEAD_LETTER_HEADERS.originalPartition]: String(info.originalPartition),
    [DEAD_LETTER_HEADERS.originalOffset]: info.originalOffset,
    [DEAD_LETTER_HEADERS.attempts]: String(info.attempts),
    [DEAD_LETTER_HEADERS.firstFailureAt]: info.firstFailureAt.toISOString(),
    [DEAD_LETTER_HEADERS.lastFailureAt]: info.lastFailureAt.toISOString(),
    [DEAD_LETTER_HEADERS.consumerGroup]: info.consumerGroup,
    [DEAD_LETTER_HEADERS.handler]: info.handler,
  };
}

/** Reads the metadata back; undefined when the headers are not those of a dead letter. */
export function parseDeadLetterHeaders(headers: MessageHeaders): DeadLetterInfo | undefined {
  const get = (name: string) => headers[name];
  const topic = get(DEAD_LETTER_HEADERS.originalTopic);
  const partition = Number(get(DEAD_LETTER_HEADERS.originalPartition));
  const offset = get(DEAD_LETTER_HEADERS.originalOffset);
  if (!topic || !Number.isInteger(partition) || !offset) return undefined;
  return {
    errorClass: get(DEAD_LETTER_HEADERS.errorClass) ?? 'Error',
    errorMessage: get(DEAD_LETTER_HEADERS.errorMessage) ?? '',
    originalTopic: topic,
    originalPartition: partition,
    originalOffset: offset,
    attempts: Number(get(DEAD_LETTER_HEADERS.attempts) ?? 0),
    firstFailureAt: new Date(get(DEAD_LETTER_HEADERS.firstFailureAt) ?? 0),
    lastFailureAt: new Date(get(DEAD_LETTER_HEADERS.lastFailureAt) ?? 0),
    consumerGroup: get(DEAD_LETTER_HEADERS.consumerGroup) ?? '',
    handler: get(DEAD_LETTER_HEADERS.handler) ?? '',
  };
}

/** The headers to send when replaying: the original ones, without any dead-letter metadata. */
export function originalHeaders(headers: MessageHeaders): MessageHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('dlq-')));
}
