import { readFileSync } from 'node:fs';
import { serviceConfigSchema } from '@tongban/runtime';
import { fromRoot } from './workspace-root';

const readme = readFileSync(fromRoot('README.md'), 'utf8');

describe('README', () => {
  it('documents every variable a service reads in its configuration table', () => {
    for (const variable of Object.keys(serviceConfigSchema('intake').shape)) {
      expect(readme).toMatch(new RegExp(`^\\| \`${variable}\` +\\|`, 'm'));
    }
  });

  it('gives the two quick-start commands that .ci/run relies on', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(fromRoot('.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
