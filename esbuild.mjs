// Builds the two bundles: the extension host (Node, CommonJS) and the webview (browser, ESM).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

/** Files the bundles load at run time rather than import. */
const assets = [
  ['node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm'],
  ['media/webview.css', 'dist/webview/webview.css'],
  ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'],
];

async function copyAssets() {
  for (const [from, to] of assets) {
    await mkdir(path.dirname(path.join(root, to)), { recursive: true });
    await copyFile(path.join(root, from), path.join(root, to));
  }
}

/** Logs build results the way VS Code's problem matcher for esbuild expects. */
const reporter = {
  name: 'reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
  plugins: watch ? [reporter] : [],
};

const host = {
  ...common,
  entryPoints: {
    extension: 'src/extension/extension.ts',
    // The history engine (sql.js, journal, compaction) runs in this worker thread.
    storageWorker: 'src/extension/storage/storageWorker.ts',
    // The tokenizer runs in this worker thread (building an encoder holds its thread for
    // hundreds of ms); each rank table is a separate file it requires on first use.
    countWorker: 'src/extension/core/encoders/countWorker.ts',
    'encoders/o200k_base': 'src/extension/core/encoders/o200k_base.ts',
    'encoders/cl100k_base': 'src/extension/core/encoders/cl100k_base.ts',
  },
  outdir: dist,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // sql.js probes for `fs`/`path` at run time; keep its wasm out of the bundle.
  loader: { '.wasm': 'file' },
};

const webview = {
  ...common,
  entryPoints: { main: 'src/webview/main.ts' },
  outdir: path.join(dist, 'webview'),
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
};

async function main() {
  if (!watch) await rm(dist, { recursive: true, force: true });
  await copyAssets();
  if (watch) {
    const contexts = await Promise.all([esbuild.context(host), esbuild.context(webview)]);
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all([esbuild.build(host), esbuild.build(webview)]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
