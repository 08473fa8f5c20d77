import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { getContainerRuntimeClient } from 'testcontainers';
import { testEnvironment } from './test-environment';

const run = promisify(execFile);
const STACK_SCRIPT = path.resolve(__dirname, '../../../deploy/local/stack.sh');

/** Stops the broker: the local stack's broker process, or pauses the Kafka container. */
export async function stopBroker(): Promise<void> {
  if (testEnvironment().brokerControl === 'docker') return (await kafkaContainer()).pause();
  await run('bash', [STACK_SCRIPT, 'kafka-stop'], { timeout: 60000 });
}

export async function startBroker(): Promise<void> {
  if (testEnvironment().brokerControl === 'docker') return (await kafkaContainer()).unpause();
  await run('bash', [STACK_SCRIPT, 'kafka-start'], { timeout: 120000 });
}

async function kafkaContainer() {
  const client = await getContainerRuntimeClient();
  return client.container.getById(process.env['TONGBAN_KAFKA_CONTAINER_ID'] ?? '');
}
