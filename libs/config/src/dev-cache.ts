import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no workspace root (nx.json) above ${from}`);
  }
}

/**
 * `.cache/<name>` of the workspace, or of TONGBAN_CACHE_DIR as the scripts use it: where
 * development-only secrets (signing keys, PII keys) live, never committed.
 */
export function devCacheDirectory(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env['TONGBAN_CACHE_DIR'] ?? path.join(workspaceRoot(__dirname), '.cache'), name);
}

/**
 * Writes `file` (mode 0600) unless it exists. Of several processes starting at once exactly one
 * wins, because link() fails on an existing target; returns whether this call created it.
 */
export async function createFileOnce(file: string, content: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  if (existsSync(file)) return false;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
}
