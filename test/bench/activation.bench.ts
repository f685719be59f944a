/**
 * Activation cost of the production host bundle, measured in fresh Node processes:
 *  - load: `require()` of dist/extension.js vs an empty module (baseline, same run);
 *  - activate: `activate()` against a minimal stand-in of the editor API vs an empty
 *    async function. The stand-in only records calls: this measures our own work at
 *    activation (module init, wiring), which is what the bundle controls.
 * The real in-editor figure is logged by the extension ("activated in N ms") and read
 * from the integration run when present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bundle = process.env.NT_BENCH_BUNDLE ?? path.join(root, 'dist', 'extension.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const probe = String.raw`
const Module = require('module');
const { performance } = require('perf_hooks');
const mode = process.argv[1], bundle = process.argv[2];
// Any API the extension touches answers with a callable, constructible stand-in that records
// nothing: the figure is our own module init and wiring, not the editor's work.
const stub = () => new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : stub()),
  apply: () => stub(),
  construct: () => stub(),
  set: () => true,
});
// esbuild's interop copies the module's own property names, so the namespaces are listed.
const vscode = {};
for (const name of ['window', 'commands', 'workspace', 'languages', 'env', 'extensions', 'Uri', 'EventEmitter',
  'StatusBarAlignment', 'ThemeColor', 'ThemeIcon', 'MarkdownString', 'ViewColumn', 'ConfigurationTarget',
  'ProgressLocation', 'QuickPickItemKind', 'Range', 'Selection', 'Disposable', 'ExtensionMode']) vscode[name] = stub();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const secrets = { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) };
const context = { subscriptions: [], secrets, extensionUri: { path: '/ext' }, extension: { packageJSON: { version: '0.0.0' } },
  globalStorageUri: { path: '/tmp', fsPath: '/tmp' }, globalState: { get: () => undefined, update: async () => {} } };
(async () => {
  const t0 = performance.now();
  const ext = mode === 'baseline' ? { activate: async () => ({}) } : require(bundle);
  const t1 = performance.now();
  await ext.activate(context);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1 }));
})();
`;

interface Sample {
  load: number;
  activate: number;
  /** Whole process, spawn to exit: the baseline is a Node that loads nothing of ours. */
  process: number;
}

function measure(mode: 'bundle' | 'baseline'): Sample {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['-e', probe, mode, bundle], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  return { ...(JSON.parse(out) as { load: number; activate: number }), process: wall };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function runActivationBench(): Record<string, number> {
  if (!existsSync(bundle)) throw new Error('dist/extension.js missing: build first');
  const ours: Sample[] = [];
  const base: Sample[] = [];
  measure('bundle'); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    base.push(measure('baseline'));
    ours.push(measure('bundle'));
  }
  const med = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
  const result: Record<string, number> = {
    'host bundle require (ms, median)': med(ours, 'load'),
    'activate() (ms, median)': med(ours, 'activate'),
    'process with load+activate (ms, median)': med(ours, 'process'),
    'process baseline, bare node (ms, median)': med(base, 'process'),
    'ratio: process with extension / bare node': med(ours, 'process') / med(base, 'process'),
  };
  const editorFile = path.join(root, 'test-results', 'activation.json');
  if (existsSync(editorFile)) {
    const editor = JSON.parse(readFileSync(editorFile, 'utf8')) as { activationMs?: number };
    if (typeof editor.activationMs === 'number') result['activate() in code-server, last test run (ms)'] = editor.activationMs;
  }
  return result;
}

if (require.main === module) {
  console.log(JSON.stringify(runActivationBench(), null, 2));
}
