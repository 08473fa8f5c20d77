// Creates the topics of libs/contracts/src/topic-registry.json (and their .dlq twins) on KAFKA_BROKERS.
// docker compose runs it once before the services start; deploy/local does the same natively.
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');

const registry = require(path.resolve(__dirname, '../../libs/contracts/src/topic-registry.json'));
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');

const topics = registry.topics.flatMap((entry) => [
  { topic: entry.name, numPartitions: entry.partitions || registry.defaults.partitions },
  { topic: `${entry.name}.dlq`, numPartitions: registry.defaults.dlqPartitions },
]);

async function main() {
  const admin = new Kafka({ clientId: 'tongban-create-topics', brokers, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({ waitForLeaders: true, topics });
    process.stdout.write(`${created ? 'created' : 'already present:'} ${topics.length} topics\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`topic creation failed: ${error.message}\n`);
  process.exit(1);
});
