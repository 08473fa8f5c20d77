import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

/** The repository root, where `npm start` runs the built services from. */
export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface NodeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<Exited>;
  output(): string;
}

// A long-running service prints without end; the tail is what explains a failure.
const KEEP_CHARS = 200000;

export interface RunNodeOptions {
  /** Sees every chunk the process prints, beyond the tail `output()` keeps. */
  readonly onOutput?: (text: string) => void;
}

/** Runs a built script the way npm start does (`node -r ./tools/runtime-paths.cjs <script>`), capturing what it prints. */
export function runNode(
  script: string,
  env: Record<string, string>,
  options: RunNodeOptions = {},
): NodeProcess {
  const child = spawn('node', ['-r', './tools/runtime-paths.cjs', script], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    options.onOutput?.(text);
    output += text;
    if (output.length > KEEP_CHARS) output = output.slice(-KEEP_CHARS / 2);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<Exited>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited, output: () => output };
}
