import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');
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
  /** New consumer groups start at the current end of every topic (earlier runs' events stay unread). */
  groupsAtEnd: (groupIds: readonly string[]) => stack('cluster-groups-at-end', ...groupIds),
};

export interface NodeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Runs a built script as `npm start` does: `node -r ./tools/runtime-paths.cjs <script>`. */
export function runNode(script: string, env: Record<string, string>): NodeProcess {
  const child = spawn('node', ['-r', './tools/runtime-paths.cjs', script], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200000) output = output.slice(-100000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}
