// `npm run bench`: builds the production bundles, reports their sizes and the .vsix size,
// then runs every test/bench/*.bench.ts in its own process (each prints its own figures,
// as ratios against a baseline measured in the same run). Never part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function dirSize(dir, filter = () => true) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(full, filter);
    else if (filter(full)) total += statSync(full).size;
  }
  return total;
}

function sizes() {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nt-bench-'));
  const vsix = path.join(tmp, 'bench.vsix');
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], {
      cwd: root,
      stdio: 'ignore',
    });
    const js = (f) => f.endsWith('.js');
    console.log('\n== bundle sizes (production) ==');
    console.log(`host   dist/extension.js        ${kb(statSync(path.join(root, 'dist', 'extension.js')).size)}`);
    console.log(`webview dist/webview/**/*.js     ${kb(dirSize(path.join(root, 'dist', 'webview'), js))}`);
    console.log(`webview assets (css, fonts)     ${kb(dirSize(path.join(root, 'dist', 'webview'), (f) => !js(f)))}`);
    console.log(`vsix                            ${kb(statSync(vsix).size)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

sizes();
const benches = readdirSync(path.join(root, 'test', 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join('test', 'bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
