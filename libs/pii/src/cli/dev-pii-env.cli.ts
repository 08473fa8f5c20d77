import { devPiiEnv } from '../dev-pii-keys';

// Prints shell exports of the development PII keys: eval "$(node .../dev-pii-env.cli.js)".
devPiiEnv().then(
  (env) => {
    for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}='${value}'\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
