import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { fromRoot, WORKSPACE_ROOT } from './workspace-root';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

async function lintProbe(relativePath: string, source: string) {
  const file = fromRoot(relativePath);
  writeFileSync(file, source);
  try {
    const [result] = await new ESLint({ cwd: WORKSPACE_ROOT }).lintFiles([file]);
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

  it('fails lint when one service imports another', async () => {
    const errors = await lintProbe(
      'services/routing/src/boundary-probe.ts',
      "import { AppModule } from '../../intake/src/app.module';\nexport const probe = AppModule;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe(2);
  }, 60000);

  it('fails lint when a shared library imports a service', async () => {
    const errors = await lintProbe(
      'libs/contracts/src/boundary-probe.ts',
      "import { AppModule } from '../../../services/delivery/src/app.module';\nexport const probe = AppModule;\n",
    );
    expect(errors).toHaveLength(1);
  }, 60000);

  it('lets a service import a shared library through its alias', async () => {
    const errors = await lintProbe(
      'services/routing/src/boundary-probe.ts',
      "import { TOPICS } from '@tongban/contracts';\nexport const probe = TOPICS;\n",
    );
    expect(errors).toEqual([]);
  }, 60000);
});
