import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursors', () => {
  const cursor = { at: '2026-11-24T02:00:00.000Z', id: '5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d' };

  it('decodes what it encoded', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    { text: 'not base64 json' },
    {
      text: Buffer.from('{"at":"yesterday","id":"5b0c7d2e-8f61-4a7b-9c3d-2e1f0a9b8c7d"}').toString(
        'base64url',
      ),
    },
    { text: Buffer.from('{"at":"2026-11-24T02:00:00Z","id":"1; DROP TABLE"}').toString('base64url') },
    { text: Buffer.from('[]').toString('base64url') },
    // Shaped like a cursor, but made up: Postgres refused these with a 500 before.
    { text: Buffer.from(`{"at":"1","id":"${'-'.repeat(36)}"}`).toString('base64url') },
    { text: Buffer.from(`{"at":"1","id":"${cursor.id}"}`).toString('base64url') },
    { text: encodeCursor({ at: '0000-01-01T00:00:00.000Z', id: cursor.id }) },
    { text: encodeCursor({ at: '2026-02-31T00:00:00.000Z', id: cursor.id }) },
  ])('refuses $text', ({ text }) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
