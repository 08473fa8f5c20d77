import registry from './topic-registry.json';

interface TopicEntry {
  readonly name: string;
  readonly partitions?: number;
}

const entries: readonly TopicEntry[] = registry.topics;

export const TOPICS = Object.freeze({
  caseSubmitted: 'case.submitted',
  caseSupplemented: 'case.supplemented',
  caseRouted: 'case.routed',
  caseUnroutable: 'case.unroutable',
  caseSupplementRequested: 'case.supplement-requested',
  caseDecided: 'case.decided',
  caseSla: 'case.sla',
  deliveryUpdated: 'delivery.updated',
  caseRated: 'case.rated',
  caseRongque: 'case.rongque',
  caseRatingFeedback: 'case.rating-feedback',
} as const);

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const dlqTopic = (topic: TopicName): `${TopicName}.dlq` => `${topic}.dlq`;

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

/** Every topic the system uses, dead-letter twins included, with its partition count. */
export const TOPIC_SPECS: readonly TopicSpec[] = Object.freeze(
  entries.flatMap((entry) => [
    { name: entry.name, partitions: entry.partitions ?? registry.defaults.partitions },
    { name: `${entry.name}.dlq`, partitions: registry.defaults.dlqPartitions },
  ]),
);
