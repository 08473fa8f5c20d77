import type { HostileRoute } from './hostile-input-suite';

/** The dead-letter routes every service serves (libs/messaging), for its hostile-input suite. */
export const DEAD_LETTER_ROUTES: readonly HostileRoute[] = [
  {
    method: 'GET',
    path: '/ops/dead-letters',
    user: 'operator',
    query: { topic: 'case.submitted', limit: '10' },
  },
  {
    method: 'POST',
    path: '/ops/dead-letters/replay',
    user: 'operator',
    body: { topic: 'case.submitted', partition: 0, offset: '1' },
  },
];
