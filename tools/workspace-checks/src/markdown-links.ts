import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

export interface BrokenLink {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** What a repository holds: its files and the folders they sit in, relative to the root. */
export interface RepositoryFiles {
  readonly files: ReadonlySet<string>;
  readonly directories: ReadonlySet<string>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// [text](target "title") and ![alt](target); the target may be wrapped in <...>.
const INLINE_LINK =
  /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
// [label]: target, a reference definition.
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const HTML_LINK = /<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*"([^"]+)"/gi;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
// A scheme (https:, mailto:) makes a link absolute: it does not point into the repository.
const ABSOLUTE = /^[a-z][a-z\d+.-]*:/i;

/** Replaces inline code spans with blanks, so `[a](b)` shown as code is not a link. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1).)+?\1/g, (span) => ' '.repeat(span.length));
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = FENCE.exec(text)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    lines.push({ text, line: index + 1 });
  });
  return lines;
}

const unwrap = (target: string) => (target.startsWith('<') ? target.slice(1, -1) : target);

/** Every link and image target of a Markdown text, outside code. */
export function extractLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text: raw, line } of proseLines(markdown)) {
    const text = withoutCodeSpans(raw);
    for (const match of text.matchAll(INLINE_LINK)) links.push({ line, target: unwrap(match[1]!) });
    for (const match of text.matchAll(HTML_LINK)) links.push({ line, target: match[1]! });
    const definition = REFERENCE_DEFINITION.exec(text);
    if (definition) links.push({ line, target: unwrap(definition[1]!) });
  }
  return links;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings; a repeated heading gets -1, -2, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = HEADING.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * Checks the relative links of one Markdown file: each must stay inside the repository and name
 * a file or folder the repository holds, and an anchor must name a heading of the Markdown file
 * it points into. Links with a scheme (https:, mailto:) are not the repository's to check.
 */
export function checkLinks(
  file: string,
  repository: RepositoryFiles,
  read: (file: string) => string,
): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const { line, target } of extractLinks(read(file))) {
    if (ABSOLUTE.test(target) || target.startsWith('//')) continue;
    const report = (problem: string) => broken.push({ file, line, target, problem });
    const [rawPath = '', anchor] = target.split('#', 2);
    let linkPath: string;
    try {
      linkPath = decodeURIComponent(rawPath.split('?')[0]!);
    } catch {
      report('is not a valid URL path');
      continue;
    }
    // An anchor alone points into the file itself; GitHub resolves a leading slash against the root.
    const resolved =
      linkPath === ''
        ? file
        : linkPath.startsWith('/')
          ? path.posix.normalize(linkPath.slice(1))
          : path.posix.normalize(path.posix.join(path.posix.dirname(file), linkPath));
    const inside = resolved.replace(/\/$/, '') || '.';
    if (inside === '..' || inside.startsWith('../')) {
      report('leaves the repository');
      continue;
    }
    const isFile = inside === file || repository.files.has(inside);
    if (!isFile && !repository.directories.has(inside)) {
      report('points at nothing the repository holds');
      continue;
    }
    if (anchor && isFile && inside.endsWith('.md') && !headingAnchors(read(inside)).has(anchor)) {
      report(`names no heading of ${inside}`);
    }
  }
  return broken;
}

export function repositoryFiles(files: readonly string[]): RepositoryFiles {
  const directories = new Set<string>(['.']);
  for (const file of files) {
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) directories.add(dir);
  }
  return { files: new Set(files), directories };
}

/**
 * The files of the working tree git would commit: tracked ones still present and new ones not
 * ignored. Ignored files (.cache, dist, node_modules) are missing from every clean clone.
 */
export function gitFiles(root: string): string[] {
  const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(output.split('\0'))]
    .filter((file) => file.length > 0 && existsSync(path.join(root, file)))
    .sort();
}

/** Every broken relative link of every Markdown file of the repository at `root`. */
export function brokenLinksIn(root: string): BrokenLink[] {
  const files = gitFiles(root);
  const repository = repositoryFiles(files);
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  return files.filter((file) => file.endsWith('.md')).flatMap((file) => checkLinks(file, repository, read));
}
