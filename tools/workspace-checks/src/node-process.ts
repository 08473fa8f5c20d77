import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { WORKSPACE_ROOT } from './workspace-root';

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a built script the way npm start does, capturing everything it prints. */
export function runNode(
  script: string,
  env: Record<string, string>,
): { child: ChildProcessWithoutNullStreams; exited: Promise<Exited>; output: () => string } {
  const child = spawn('node', ['-r', './tools/runtime-paths.cjs', script], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exited>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited, output: () => output };
}
