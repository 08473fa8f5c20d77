// Resolves the @tongban/* aliases of tsconfig.base.json inside the compiled dist/ tree, so the
// services run with plain `node` after `npm run build`.
const path = require('node:path');
const { register } = require('tsconfig-paths');

register({ baseUrl: path.resolve(__dirname, '../dist'), paths: { '@tongban/*': ['libs/*/src'] } });
