// Bundles the integration tests for the extension host: test/integration/index.ts (the in-host
// mocha runner) and every test/integration/**/*.test.ts as separate CommonJS bundles in
// out/test/integration/ (vscode and mocha stay external: the host provides `vscode`, mocha is
// resolved from the repo's node_modules because the bundle lives inside the extension folder).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './tools.mjs';

export const INTEGRATION_SRC = join(REPO_ROOT, 'test', 'integration');
export const INTEGRATION_OUT = join(REPO_ROOT, 'out', 'test', 'integration');
export const INTEGRATION_ENTRY = join(INTEGRATION_OUT, 'index.js');

function testFiles(dir) {
  const found = [];
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) found.push(...testFiles(p));
    else if (ent.name.endsWith('.test.ts')) found.push(p);
  }
  return found.sort();
}

/** @returns {Promise<{ entry: string, tests: string[], ms: number }>} */
export async function buildIntegrationTests() {
  const t0 = Date.now();
  const esbuild = await import('esbuild');
  if (!existsSync(join(INTEGRATION_SRC, 'index.ts'))) throw new Error('test/integration/index.ts is missing');
  const tests = testFiles(INTEGRATION_SRC);
  rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  const entryPoints = {};
  entryPoints.index = join(INTEGRATION_SRC, 'index.ts');
  for (const t of tests) {
    // test/integration/sub/foo.test.ts -> sub__foo.test.js (flat: the runner lists one folder)
    const name = relative(INTEGRATION_SRC, t).replace(/\.ts$/, '').split(/[\\/]/).join('__');
    entryPoints[name] = t;
  }
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: INTEGRATION_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"test"' },
  });
  return { entry: INTEGRATION_ENTRY, tests, ms: Date.now() - t0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildIntegrationTests().then(
    (r) => console.log(`built ${r.tests.length} integration test file(s) -> ${relative(REPO_ROOT, r.entry)} (${r.ms} ms)`),
    (e) => { console.error(e); process.exit(1); },
  );
}
