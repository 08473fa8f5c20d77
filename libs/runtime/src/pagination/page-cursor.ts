/** Where a keyset-paginated list continues: the sort instant and id of the last row returned. */
export interface PageCursor {
  readonly at: string;
  readonly id: string;
}

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
// Exactly what encodeCursor writes (Date#toISOString): a client-made "1" or year 0 is no cursor.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('2199-12-31T23:59:59.999Z');

/** Opaque to clients: they hand back what a page answered, nothing they could compose. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a page answered, or undefined for anything else (answer 400 naming `cursor`). */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageCursor>;
    if (typeof value.at !== 'string' || typeof value.id !== 'string') return undefined;
    if (!UUID.test(value.id) || !ISO_INSTANT.test(value.at)) return undefined;
    const at = Date.parse(value.at);
    // A day 31 of a 30-day month parses to another day: round-tripping catches it.
    if (Number.isNaN(at) || at < EARLIEST || at > LATEST || new Date(at).toISOString() !== value.at)
      return undefined;
    return { at: value.at, id: value.id };
  } catch {
    return undefined;
  }
}
