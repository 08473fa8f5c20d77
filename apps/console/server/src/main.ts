import path from 'node:path';
import { devAuthKeys } from '@tongban/auth';
import { loadConsoleConfig } from './console-config';
import { createConsoleServer } from './console-server';

// dist/apps/console/server/src/main.js → the workspace root.
const workspaceRoot = path.resolve(__dirname, '../../../../..');

async function main(): Promise<void> {
  const config = loadConsoleConfig(process.env, workspaceRoot);
  const keys = config.devSignIn ? await devAuthKeys() : undefined;
  const app = createConsoleServer(config, keys);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(
      `${JSON.stringify({
        level: 'info',
        msg: `console listening on http://${config.host}:${port}`,
        devSignIn: config.devSignIn,
      })}\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message })}\n`);
  process.exit(78);
});
