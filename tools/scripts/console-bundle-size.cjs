// Prints the built console's sizes, gzip level 9 as a web server would send them: what the first
// page load fetches (index.html's scripts, preloads and styles) and everything, per file.
// Run after `npm run build`: node tools/scripts/console-bundle-size.cjs [dist/apps/console/web]
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/apps/console/web'));
const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]),
);
let first = 0;
let total = 0;
for (const file of readdirSync(path.join(dir, 'assets')).sort()) {
  const bytes = readFileSync(path.join(dir, 'assets', file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const loadedFirst = initial.has(`assets/${file}`);
  total += gzip;
  if (loadedFirst) first += gzip;
  console.log(
    `${file.padEnd(44)} ${String(bytes.length).padStart(9)} B ${String(gzip).padStart(8)} B gzip${loadedFirst ? '  first load' : ''}`,
  );
}
console.log(
  `first load ${(first / 1024).toFixed(1)} KiB gzip, all chunks ${(total / 1024).toFixed(1)} KiB gzip`,
);
