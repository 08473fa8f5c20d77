import path from 'node:path';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');
export const fromRoot = (...parts: string[]) => path.join(WORKSPACE_ROOT, ...parts);
