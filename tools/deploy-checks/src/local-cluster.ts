import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

import { expectEventually, WORKSPACE_ROOT } from '@tongban/testing';
import { Kafka, logLevel } from 'kafkajs';
const STACK_SCRIPT = path.join(WORKSPACE_ROOT, 'deploy/local/stack.sh');

/** The three-broker KRaft cluster of `deploy/local/stack.sh cluster-*` (default ports). */
export const CLUSTER_BROKERS = ['127.0.0.1:19092', '127.0.0.1:19093', '127.0.0.1:19094'];

async function stack(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('bash', [STACK_SCRIPT, ...args], {
    cwd: WORKSPACE_ROOT,
    timeout: 180000,
  });
  return stdout + stderr;
}

export const cluster = {
  /** true when all three nodes answer. */
  running: () =>
    stack('cluster-status').then(
      () => true,
      () => false,
    ),
  /** Starts the whole cluster (idempotent; creates the topics with RF 3), or only node `node`. */
  start: (node?: number) => stack('cluster-start', ...(node ? [String(node)] : [])),
  stop: (node?: number) => stack('cluster-stop', ...(node ? [String(node)] : [])),
  /** SIGKILL, as a crash. */
  kill: (node: number) => stack('cluster-kill', String(node)),
};

/**
 * Moves the leader of every partition of `topics` to another broker, as an operator rebalancing
 * leaders does: each partition's replica list is rotated so that its preferred replica is not the
 * current leader (the same replicas, so nothing is copied), then Kafka's own LeaderElectionCommand
 * runs a preferred-leader election. Resolves once every partition is led by its new preferred
 * replica; returns how many partitions moved.
 */
export async function moveLeaders(topics: readonly string[]): Promise<number> {
  const admin = new Kafka({ brokers: CLUSTER_BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
    const wanted = new Map<string, number>();
    const reassignments = described.map(({ name, partitions }) => ({
      topic: name,
      partitionAssignment: partitions.map(({ partitionId, leader, replicas }) => {
        const at = replicas.indexOf(leader);
        const rotated = [...replicas.slice(at + 1), ...replicas.slice(0, at + 1)];
        wanted.set(`${name}:${partitionId}`, rotated[0]!);
        return { partition: partitionId, replicas: rotated };
      }),
    }));
    await admin.alterPartitionReassignments({ topics: reassignments });
    await expectEventually(
      async () => {
        const { topics: pending } = await admin.listPartitionReassignments({});
        if (pending.length > 0) throw new Error(`${pending.length} reassignment(s) still running`);
      },
      { timeoutMs: 60000, intervalMs: 500 },
    );
    await stack(
      'kafka-tool',
      'org.apache.kafka.tools.LeaderElectionCommand',
      '--bootstrap-server',
      CLUSTER_BROKERS.join(','),
      '--election-type',
      'PREFERRED',
      '--all-topic-partitions',
    );
    await expectEventually(
      async () => {
        const { topics: now } = await admin.fetchTopicMetadata({ topics: [...topics] });
        const astray = now.flatMap(({ name, partitions }) =>
          partitions
            .filter((p) => p.leader !== wanted.get(`${name}:${p.partitionId}`))
            .map((p) => `${name}:${p.partitionId}`),
        );
        if (astray.length > 0)
          throw new Error(
            `${astray.length} partition(s) not yet on their new leader: ${astray.slice(0, 5).join(', ')}`,
          );
      },
      { timeoutMs: 60000, intervalMs: 500 },
    );
    return wanted.size;
  } finally {
    await admin.disconnect();
  }
}
