import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The directory holding nx.json above `from`: the same from the sources and from dist/. */
export function findWorkspaceRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

/** The repository root, where `npm start` runs the built services from. */
export const WORKSPACE_ROOT = findWorkspaceRoot();

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

/**
 * Runs a built script the way npm start does (`node -r ./tools/runtime-paths.cjs <script>`),
 * capturing what it prints; the process ends itself when the test process is gone
 * (tools/exit-with-parent.cjs).
 */
export function runNode(
  script: string,
  env: Record<string, string>,
  options: RunNodeOptions = {},
): NodeProcess {
  const child = spawn(
    'node',
    ['-r', './tools/runtime-paths.cjs', '-r', './tools/exit-with-parent.cjs', script],
    {
      cwd: WORKSPACE_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    },
  );
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
