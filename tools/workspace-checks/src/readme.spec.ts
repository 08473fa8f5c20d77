import { readFileSync } from 'node:fs';
import { SERVICE_NAMES } from '@tongban/config';
import { serviceConfigSchema } from '@tongban/runtime';
import { fromRoot } from './workspace-root';

const readme = readFileSync(fromRoot('README.md'), 'utf8');
const operations = readFileSync(fromRoot('docs/operations.md'), 'utf8');

describe('README and docs', () => {
  it('documents every variable a service reads in the configuration table of docs/operations.md', () => {
    for (const variable of Object.keys(serviceConfigSchema('intake').shape)) {
      expect(operations).toMatch(new RegExp(`^\\| \`${variable}\` +\\|`, 'm'));
    }
  });

  it('gives the two quick-start commands that .ci/run relies on', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(fromRoot('.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });

  it('gives every service a README', () => {
    for (const service of SERVICE_NAMES) {
      expect(readFileSync(fromRoot(`services/${service}/README.md`), 'utf8')).toMatch(/^## (.* )?API\b/m);
    }
  });
});
