import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Development: `npx nx run console:dev` serves the sources with hot reload and forwards the API
// paths to the console server (`npm start` runs it on 3000), which proxies to the services, so
// the browser talks to one origin in development exactly as in production.
const consoleServer = process.env['CONSOLE_SERVER_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: { '@tongban/pii/browser': `${root}libs/pii/src/browser.ts` },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': consoleServer, '/console-api': consoleServer },
  },
  build: {
    outDir: `${root}dist/apps/console/web`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
