import { parseArgs } from 'node:util';
import { TOPICS } from '@tongban/contracts';
import type { DeadLetter } from '../dead-letter/dead-letter-store';

const USAGE = `Lists and replays dead letters (<topic>.dlq) on the broker in KAFKA_BROKERS (default 127.0.0.1:9092).

  npm run -s dlq -- list <topic> [--limit 100] [--json]
  npm run -s dlq -- replay <topic> --partition <p> --offset <o>
  npm run -s dlq -- replay <topic> --all

<topic> is the original topic (${Object.values(TOPICS).join(', ')}).
Replaying is safe to repeat: consumers skip events they already processed. Replays through the
services' POST /ops/dead-letters/replay are recorded in the audit log; prefer it in production.
`;

class UsageError extends Error {}

function summary(letter: DeadLetter): string {
  const info = letter.info;
  const failure = info
    ? `${info.errorClass} after ${info.attempts} attempt(s), last ${info.lastFailureAt.toISOString()} in ${info.handler}: ${info.errorMessage}`
    : 'no dead-letter metadata';
  return `${letter.partition}/${letter.offset}  key=${letter.key ?? '-'}  ${failure}\n`;
}

function topicArgument(positionals: readonly string[]): string {
  const topic = positionals[1];
  if (!topic || !(Object.values(TOPICS) as string[]).includes(topic)) {
    throw new UsageError(`unknown topic "${topic ?? ''}"`);
  }
  return topic;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string', default: '100' },
      partition: { type: 'string' },
      offset: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return;
  }
  const command = positionals[0];
  const topic = topicArgument(positionals);
  // Loaded once there is a broker to talk to: the store's trace headers bring OpenTelemetry and
  // Nest with them (through @tongban/observability), which `--help` should not wait for.
  const [{ DeadLetterStore, DLQ_SUFFIX }, { KafkaProducerHandle }] = await Promise.all([
    import('../dead-letter/dead-letter-store'),
    import('../kafka/kafka-producer'),
  ]);
  const dlqTopic = `${topic}${DLQ_SUFFIX}`;
  const producer = new KafkaProducerHandle({
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    clientId: 'tongban-dlq-cli',
  });
  const store = new DeadLetterStore(producer);
  try {
    if (command === 'list') {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
      const letters = await store.list(dlqTopic, limit);
      if (values.json) process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
      else process.stdout.write(letters.length ? letters.map(summary).join('') : `${dlqTopic} is empty\n`);
    } else if (command === 'replay') {
      const single = values.partition !== undefined && values.offset !== undefined;
      if (values.all === single)
        throw new UsageError('replay takes either --partition and --offset, or --all');
      const partition = Number(values.partition);
      if (single && (!Number.isInteger(partition) || !/^\d+$/.test(values.offset ?? ''))) {
        throw new UsageError('--partition and --offset must be non-negative integers');
      }
      const result = await store.replay(
        dlqTopic,
        values.all ? 'all' : { partition, offset: values.offset ?? '' },
      );
      process.stdout.write(`replayed ${result.replayed.length} dead letter(s) from ${dlqTopic}\n`);
    } else {
      throw new UsageError(`unknown command "${command ?? ''}"`);
    }
  } finally {
    await producer.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `${String(error)}\n`}`,
  );
  process.exit(error instanceof UsageError ? 64 : 1);
});
