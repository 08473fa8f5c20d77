/** One thing wrong with the reference data: where (file + path) and why (rule + reason). */
export interface ReferenceProblem {
  /** The data file, e.g. "items.json" (or "dev-users.json" for scope checks). */
  readonly file: string;
  /** A path inside the file, e.g. "items[3].timeLimits.promisedDays"; "" for the whole file. */
  readonly path: string;
  /** A stable rule name, e.g. "promised_exceeds_legal"; "schema" for shape errors. */
  readonly rule: string;
  /** What is wrong, for people. */
  readonly reason: string;
}

/** Thrown by the loaders: lists every problem found, not only the first. */
export class ReferenceDataError extends Error {
  override readonly name = 'ReferenceDataError';

  constructor(readonly problems: readonly ReferenceProblem[]) {
    super(
      `reference data is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.file}${p.path ? ` ${p.path}` : ''}: [${p.rule}] ${p.reason}`).join('\n'),
    );
  }
}

/** Formats a zod issue path as items[3].timeLimits.promisedDays. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
