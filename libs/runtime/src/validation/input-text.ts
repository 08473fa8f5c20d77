import type { FieldIssue } from './validation.pipe';

// A lone (unpaired) UTF-16 surrogate: valid in a JS string and in JSON's \u escapes, but no
// Unicode character; Postgres refuses it, as it refuses NUL, with an error instead of a 4xx.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (no unpaired surrogates)';
  return undefined;
}

/**
 * Every string (and object key) in a parsed request part that could not be stored, named by its
 * path as the zod issues name fields, so the pipe refuses it before any DTO or handler sees it.
 */
export function unstorableTextIssues(value: unknown, path: readonly (string | number)[] = []): FieldIssue[] {
  const field = path.join('.') || '(body)';
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? [{ field, reason }] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => unstorableTextIssues(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const keyReason = unstorableTextReason(key);
      // The key itself is what is wrong: name where it sits, not the unprintable key.
      if (keyReason) return [{ field, reason: `has a property name that ${keyReason}` }];
      return unstorableTextIssues(item, [...path, key]);
    });
  }
  return [];
}
