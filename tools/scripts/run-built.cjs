// Runs a helper CLI (token, dlq, demo) from the dist/ tree `npm run build` and `npm start` leave,
// so a call starts in well under a second instead of recompiling first.
//   node tools/scripts/run-built.cjs dist/libs/auth/src/cli/mint-dev-token.cli.js --list
const { existsSync } = require('node:fs');
const path = require('node:path');

const [entry, ...args] = process.argv.slice(2);
const file = path.resolve(__dirname, '../..', entry ?? '');
if (!entry || !existsSync(file)) {
  process.stderr.write(`${entry ?? 'the CLI'} is not built: run npm run build first\n`);
  process.exit(1);
}
require('../runtime-paths.cjs');
// The CLI reads its own arguments from process.argv, as if node had been started on it directly.
process.argv = [process.argv[0], file, ...args];
require(file);
