import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { type DevAuthKeys, devUsers, findDevUser, mintDevToken } from '@tongban/auth';
import { loadReferenceData } from '@tongban/reference-data';
import { type ConsoleConfig } from './console-config';

/** What the browser may learn about this deployment before anyone signs in. */
export interface PublicConsoleSettings {
  readonly devSignIn: boolean;
  readonly grafanaUrl: string;
}

/**
 * One origin for the browser: the built console, the service catalogue (reference data shipped
 * with the code, which no service serves over HTTP) and `/api/<service>/…` forwarded to the four
 * services unchanged, bearer token included. No CORS anywhere.
 */
export function createConsoleServer(config: ConsoleConfig, keys?: DevAuthKeys): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  for (const [service, target] of Object.entries(config.upstreams)) {
    app.use(
      `/api/${service}`,
      createProxyMiddleware({
        target,
        changeOrigin: true,
        xfwd: true,
        proxyTimeout: 30000,
        on: {
          error: (_error, _request, response) => {
            if ('writeHead' in response && !response.headersSent) {
              response.writeHead(502, { 'content-type': 'application/json' });
              response.end(JSON.stringify({ statusCode: 502, message: `${service} is unreachable` }));
            }
          },
        },
      }),
    );
  }

  // Probes: the process answers (live); it has the built console to serve (ready).
  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/health/ready', (_request, response) => {
    const ready = existsSync(path.join(config.webDir, 'index.html'));
    response.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'no built console' });
  });

  const settings: PublicConsoleSettings = { devSignIn: config.devSignIn, grafanaUrl: config.grafanaUrl };
  app.get('/console-api/settings', (_request, response) => {
    response.json(settings);
  });

  // The bundled catalogue, as the services load it (intake's /catalogue routes serve the same data).
  const reference = loadReferenceData();
  app.get('/console-api/catalogue', (request, response) => {
    const officeId = typeof request.query['officeId'] === 'string' ? request.query['officeId'] : undefined;
    response.json({
      items: officeId ? reference.itemsAcceptedAt(officeId) : reference.items(),
      offices: reference.offices(),
      departments: reference.departments({ enabled: true }),
      districts: reference.districts(),
    });
  });

  app.get('/console-api/dev/users', (_request, response) => {
    if (!config.devSignIn || !keys) {
      response.status(403).json({ statusCode: 403, message: 'development sign-in is disabled' });
      return;
    }
    response.json(devUsers().map((user) => ({ id: user.sub, role: user.role, label: user.label })));
  });

  app.post('/console-api/dev/sign-in', express.json({ limit: '1kb' }), (request, response, next) => {
    if (!config.devSignIn || !keys) {
      response.status(403).json({ statusCode: 403, message: 'development sign-in is disabled' });
      return;
    }
    const userId: unknown = (request.body as { userId?: unknown } | undefined)?.userId;
    const user = typeof userId === 'string' ? findDevUser(userId) : undefined;
    if (!user) {
      response.status(400).json({
        statusCode: 400,
        issues: [{ field: 'userId', reason: 'must be one of the seeded users' }],
      });
      return;
    }
    mintDevToken(user, keys, { ttlSeconds: 8 * 60 * 60 })
      .then((token) => response.json({ token, user: { ...user, id: user.sub } }))
      .catch(next);
  });

  if (existsSync(config.webDir)) {
    app.use(express.static(config.webDir, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the single page.
    app.get(/^\/(?!api\/|console-api\/|health\/).*/, (_request, response) => {
      response.setHeader('cache-control', 'no-cache');
      response.sendFile(path.join(config.webDir, 'index.html'));
    });
  }
  return app;
}
