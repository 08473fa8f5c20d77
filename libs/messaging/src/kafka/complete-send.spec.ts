import type { Admin, PartitionMetadata, Producer, RecordMetadata } from 'kafkajs';
import {
  assignPartitions,
  CompleteSender,
  IncompleteSendError,
  type TopicBatch,
  unacknowledgedPartitions,
} from './complete-send';

const sixPartitions: PartitionMetadata[] = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: (partitionId % 3) + 1,
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  offlineReplicas: [],
  partitionErrorCode: 0,
}));

const ack = (topicName: string, partition: number, errorCode = 0): RecordMetadata => ({
  topicName,
  partition,
  errorCode,
  baseOffset: '0',
});

const batch = (keys: string[]): TopicBatch[] => [
  { topic: 'case.submitted', messages: keys.map((key) => ({ key, value: '{}' })) },
];

describe('assignPartitions', () => {
  it('puts a key on the same partition every time, spread over the topic', () => {
    const keys = Array.from({ length: 60 }, (_, index) => `case-${index}`);
    const first = assignPartitions(batch(keys), () => sixPartitions)[0]!.messages;
    const again = assignPartitions(batch(keys), () => sixPartitions)[0]!.messages;

    expect(again.map((message) => message.partition)).toEqual(first.map((message) => message.partition));
    expect(new Set(first.map((message) => message.partition)).size).toBe(6);
  });
});

describe('unacknowledgedPartitions', () => {
  const assigned = assignPartitions(batch(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), () => sixPartitions);
  const used = [...new Set(assigned[0]!.messages.map((message) => message.partition!))].sort();

  it('is empty when every partition written to acknowledged', () => {
    expect(
      unacknowledgedPartitions(
        assigned,
        used.map((partition) => ack('case.submitted', partition)),
      ),
    ).toEqual([]);
  });

  it('names a partition that got no answer, and one that answered with an error', () => {
    const [lost, failed, ...rest] = used;
    const answers = [
      ack('case.submitted', failed!, 6),
      ...rest.map((partition) => ack('case.submitted', partition)),
    ];

    expect(unacknowledgedPartitions(assigned, answers)).toEqual(
      [`case.submitted/${lost}`, `case.submitted/${failed}`].sort(),
    );
  });
});

describe('CompleteSender', () => {
  function fakes(answer: (partitions: number[]) => RecordMetadata[]) {
    const metadataCalls: string[][] = [];
    const admin = {
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
        metadataCalls.push(topics);
        return { topics: topics.map((name) => ({ name, partitions: sixPartitions })) };
      },
    } as unknown as Admin;
    const sent: number[][] = [];
    const producer = {
      sendBatch: async ({ topicMessages }: { topicMessages: TopicBatch[] }) => {
        const partitions = [...new Set(topicMessages[0]!.messages.map((message) => message.partition!))];
        sent.push(partitions);
        return answer(partitions);
      },
    } as unknown as Producer;
    return { sender: new CompleteSender(async () => admin), producer, metadataCalls, sent };
  }

  it('resolves when all partitions acknowledged, reading the partition count once', async () => {
    const { sender, producer, metadataCalls } = fakes((partitions) =>
      partitions.map((partition) => ack('case.submitted', partition)),
    );

    await sender.send(producer, batch(['a', 'b', 'c']));
    await sender.send(producer, batch(['d', 'e']));

    expect(metadataCalls).toEqual([['case.submitted']]);
  });

  it('fails when kafkajs resolves without an answer for a partition, as after a leader moved', async () => {
    const { sender, producer, metadataCalls } = fakes((partitions) =>
      partitions.slice(1).map((partition) => ack('case.submitted', partition)),
    );

    await expect(sender.send(producer, batch(['a', 'b', 'c', 'd', 'e', 'f']))).rejects.toBeInstanceOf(
      IncompleteSendError,
    );
    // the next attempt reads the topic's partitions again
    await expect(sender.send(producer, batch(['a', 'b']))).rejects.toBeInstanceOf(IncompleteSendError);
    expect(metadataCalls).toHaveLength(2);
  });
});
