import { startTracing } from '@tongban/observability';

// Imported first by main.ts: the instrumentations must be in place before anything they patch loads.
startTracing('supervision');
