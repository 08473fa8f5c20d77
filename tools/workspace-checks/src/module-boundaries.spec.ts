import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fromRoot, WORKSPACE_ROOT } from './workspace-root';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';
const NX_ENV = { ...process.env, NX_DAEMON: 'false' };

function lintProbe(relativePath: string, source: string) {
  const file = fromRoot(relativePath);
  writeFileSync(file, source);
  try {
    // The ESLint CLI in its own process: its flat config is ESM, which jest's CommonJS VM cannot load.
    const run = spawnSync('npx', ['eslint', '--format', 'json', file], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      env: NX_ENV,
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; severity: number }[] }[];
    return result!.messages.filter((message) => message.ruleId === BOUNDARY_RULE);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The rule skips itself (with only a warning) when Nx has no cached project graph.
    execFileSync('npx', ['nx', 'show', 'projects'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  }, 60000);

  it('fails lint when one service imports another', () => {
    const errors = lintProbe(
      'services/routing/src/boundary-probe.ts',
      "import { AppModule } from '../../intake/src/app.module';\nexport const probe = AppModule;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe(2);
  }, 60000);

  it('fails lint when a shared library imports a service', () => {
    const errors = lintProbe(
      'libs/contracts/src/boundary-probe.ts',
      "import { AppModule } from '../../../services/delivery/src/app.module';\nexport const probe = AppModule;\n",
    );
    expect(errors).toHaveLength(1);
  }, 60000);

  it('lets a service import a shared library through its alias', () => {
    const errors = lintProbe(
      'services/routing/src/boundary-probe.ts',
      "import { TOPICS } from '@tongban/contracts';\nexport const probe = TOPICS;\n",
    );
    expect(errors).toEqual([]);
  }, 60000);
});
