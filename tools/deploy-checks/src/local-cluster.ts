import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

import { WORKSPACE_ROOT } from '@tongban/testing';
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
