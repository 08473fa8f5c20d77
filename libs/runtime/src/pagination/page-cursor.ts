/** Where a keyset-paginated list continues: the sort instant and id of the last row returned. */
export interface PageCursor {
  readonly at: string;
  readonly id: string;
}

/** Opaque to clients: they hand back what a page answered, nothing they could compose. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a page answered, or undefined for anything else (answer 400 naming `cursor`). */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageCursor>;
    return typeof value.at === 'string' &&
      typeof value.id === 'string' &&
      /^[\da-f-]{36}$/i.test(value.id) &&
      !Number.isNaN(Date.parse(value.at))
      ? { at: value.at, id: value.id }
      : undefined;
  } catch {
    return undefined;
  }
}
