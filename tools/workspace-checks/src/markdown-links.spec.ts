import {
  brokenLinksIn,
  checkLinks,
  extractLinks,
  gitFiles,
  headingAnchors,
  repositoryFiles,
} from './markdown-links';
import { WORKSPACE_ROOT } from './workspace-root';

describe('Markdown links of the repository', () => {
  it('checks every Markdown file git holds, the root README and docs/ included', () => {
    const markdown = gitFiles(WORKSPACE_ROOT).filter((file) => file.endsWith('.md'));
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
  });

  it('has no relative link that leaves the repository or points at a missing file or heading', () => {
    expect(brokenLinksIn(WORKSPACE_ROOT)).toEqual([]);
  });
});

describe('checkLinks', () => {
  const texts: Record<string, string> = {
    'README.md': '# Tongban\n\n## Quick start\n',
    'docs/guide.md': '# Guide\n\n## Run `npm start` (once)\n\n## Run `npm start` (once)\n',
    'docs/picture.png': '',
    'services/intake/src/main.ts': '',
  };
  const repository = repositoryFiles(Object.keys(texts));
  const check = (markdown: string, file = 'docs/page.md') =>
    checkLinks(file, repository, (name) => (name === file ? markdown : texts[name]!)).map(
      ({ line, target, problem }) => ({ line, target, problem }),
    );

  it('accepts links to files, folders, images and headings inside the repository', () => {
    const markdown = [
      '[guide](guide.md) [readme](../README.md#quick-start) [main](/services/intake/src/main.ts)',
      '![picture](./picture.png "the picture") [service](../services/intake/)',
      '[again](guide.md#run-npm-start-once-1) [here](#) [web](https://example.org/x) [mail](mailto:a@b.c)',
      '[ref]: <guide.md>',
    ].join('\n');
    expect(check(markdown)).toEqual([]);
  });

  it('reports a link to a file the repository does not hold, with its line', () => {
    expect(check('# Page\n\nSee [the design](design.md).')).toEqual([
      { line: 3, target: 'design.md', problem: 'points at nothing the repository holds' },
    ]);
  });

  it('reports a link that leaves the repository, even to a file that exists beside it', () => {
    expect(check('[notes](../../outside/NOTES.md) [sibling](../../README.md)')).toEqual([
      { line: 1, target: '../../outside/NOTES.md', problem: 'leaves the repository' },
      { line: 1, target: '../../README.md', problem: 'leaves the repository' },
    ]);
  });

  it('reports broken images, reference definitions and HTML links too', () => {
    expect(check('![gone](gone.png)\n\n[ref]: missing.md\n\n<img src="../nope.svg">')).toEqual([
      { line: 1, target: 'gone.png', problem: 'points at nothing the repository holds' },
      { line: 3, target: 'missing.md', problem: 'points at nothing the repository holds' },
      { line: 5, target: '../nope.svg', problem: 'points at nothing the repository holds' },
    ]);
  });

  it('reports an anchor that names no heading of the Markdown file', () => {
    expect(check('[start](../README.md#quickstart)')).toEqual([
      { line: 1, target: '../README.md#quickstart', problem: 'names no heading of README.md' },
    ]);
  });

  it('checks an anchor alone against the headings of the file itself', () => {
    expect(check('# Page\n\n[top](#page) [gone](#nowhere)')).toEqual([
      { line: 3, target: '#nowhere', problem: 'names no heading of docs/page.md' },
    ]);
  });

  it('ignores links shown as code', () => {
    expect(check('`[a](missing.md)`\n\n```md\n[b](missing.md)\n```\n')).toEqual([]);
  });
});

describe('extractLinks', () => {
  it('finds inline links and images with titles, angle brackets and parentheses in the path', () => {
    expect(extractLinks('[a](x.md "t") ![b](<y z.png>) [c](f(1).md)').map((link) => link.target)).toEqual([
      'x.md',
      'y z.png',
      'f(1).md',
    ]);
  });
});

describe('headingAnchors', () => {
  it('derives GitHub anchors: lower case, code and punctuation dropped, CJK kept, repeats numbered', () => {
    expect([
      ...headingAnchors('# Intake API (offices)\n## 秒批 (auto-approval)\n## Tests\n## Tests\n'),
    ]).toEqual(['intake-api-offices', '秒批-auto-approval', 'tests', 'tests-1']);
  });
});
