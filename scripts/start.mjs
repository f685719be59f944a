#!/usr/bin/env node
// `npm start`: build the extension (development), then open an editor with it loaded as a
// development extension:
//   - VS Code desktop when `code` is on PATH (own profile under .nt-run/start-code), else
//   - code-server from the tool cache (installed by scripts/setup-tools.sh when missing) on
//     127.0.0.1, printing the URL to open.
// Without OPENROUTER_API_KEY in the environment the offline fake OpenRouter
// (test/fixtures/serve.ts --demo) is started and `neuralTerminal.baseUrl` points at it:
// "DEMO ENDPOINT (offline fake OpenRouter)". Ctrl+C stops everything this script started.
//
//   node scripts/start.mjs [--code-server] [--watch] [--port N]
//   env: NT_HOST (default 127.0.0.1), NT_PORT, NT_FORCE_CODE_SERVER=1, NT_START_PROFILE (default start)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  createRun, freePort, installSignalHandlers, killGroup, readSettings, startCodeServer, trackGroup, writeSettings,
} from './lib/codeServer.mjs';
import { cleanNpmEnv } from './lib/cleanEnv.mjs';
import { fakeServerAvailable, startFakeServer } from './lib/fakeServer.mjs';
import { REPO_ROOT, SETUP_SCRIPT, toolsStatus } from './lib/tools.mjs';

const argv = process.argv.slice(2);
const forceCodeServer = argv.includes('--code-server') || process.env.NT_FORCE_CODE_SERVER === '1';
const watch = argv.includes('--watch');
const portArg = (() => {
  const i = argv.indexOf('--port');
  return Number(i >= 0 ? argv[i + 1] : process.env.NT_PORT) || undefined;
})();
const host = process.env.NT_HOST || '127.0.0.1';

const say = (m) => console.log(`[start] ${m}`);
installSignalHandlers();
// `npm start` runs us under `sh -c`: a SIGTERM to npm ends npm and the shell but does not reach
// this process, which would then keep code-server and the fake endpoint running. Follow the parent:
// once it is gone (we were re-parented), stop everything as if the signal had reached us.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGTERM');
}, 250).unref();

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** A detached child tracked for Ctrl+C; resolves its exit. */
function spawnTracked(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit', detached: true, ...opts });
  const untrack = trackGroup(child.pid, cmd);
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => { untrack(); resolve(code ?? sig); }));
  child.once('error', (err) => { untrack(); console.error(`[start] ${cmd}: ${err.message}`); });
  return { child, exited };
}

// 1. build (development)
say('building (npm run build)...');
const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] build failed');
  process.exit(build.status ?? 1);
}
if (watch) {
  say('rebuilding on change (esbuild --watch); reload the editor window to pick up changes');
  spawnTracked(process.execPath, [join(REPO_ROOT, 'esbuild.mjs'), '--watch'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// 2. endpoint: real OpenRouter with the user's key, or the offline fake
const settings = {};
let fake;
if (process.env.OPENROUTER_API_KEY) {
  say('OPENROUTER_API_KEY is set: using the real OpenRouter endpoint.');
  say('The extension keeps the key in SecretStorage: run "Neural Terminal: Set API Key" and paste it once.');
} else if (fakeServerAvailable()) {
  fake = await startFakeServer({ timeoutMs: 30_000, args: ['--demo', '--max-lifetime-sec', String(12 * 3600)] });
  settings['neuralTerminal.baseUrl'] = fake.url;
  const bar = '='.repeat(72);
  console.log(`\n${bar}\n  DEMO ENDPOINT (offline fake OpenRouter)\n  ${fake.url}`);
  console.log('  OPENROUTER_API_KEY is not set, so replies come from the local fake: canned');
  console.log('  text, fake prices. Set any key (e.g. sk-or-v1-demo) with "Neural Terminal:');
  console.log(`  Set API Key". Export OPENROUTER_API_KEY to use the real OpenRouter.\n${bar}\n`);
} else {
  say('OPENROUTER_API_KEY is not set and test/fixtures/serve.ts is missing: using the default endpoint.');
}

// 3a. VS Code desktop
const code = forceCodeServer ? undefined : onPath('code');
if (code) {
  const base = join(REPO_ROOT, '.nt-run', 'start-code');
  const userData = join(base, 'user-data');
  const workspace = join(base, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const file = join(userData, 'User', 'settings.json');
  let existing = {};
  try { existing = JSON.parse(readFileSync(file, 'utf8')); } catch { /* new profile */ }
  if (!fake) delete existing['neuralTerminal.baseUrl'];
  writeFileSync(file, JSON.stringify({ ...existing, ...settings }, null, 2));
  say(`opening VS Code (${code}) with the extension in development mode (profile: .nt-run/start-code)`);
  const { exited } = spawnTracked(code, [
    '--new-window', '--wait',
    '--user-data-dir', userData,
    `--extensionDevelopmentPath=${REPO_ROOT}`,
    workspace,
  ]);
  say('close the VS Code window or press Ctrl+C to stop.');
  await exited;
  if (fake) await fake.stop();
  process.exit(0);
}

// 3b. code-server
if (!toolsStatus().ok) {
  say('code-server is not installed yet: running scripts/setup-tools.sh (a few minutes, once)...');
  // A clean environment: `npm start` exported the outer npm's variables (see lib/cleanEnv.mjs).
  const r = spawnSync('bash', [SETUP_SCRIPT], { stdio: 'inherit', env: cleanNpmEnv(process.env).env });
  if (r.status !== 0 || !toolsStatus().ok) {
    console.error('[start] the editor tool chain could not be installed; the FAILED step above names the cause and its log');
    if (fake) await fake.stop();
    process.exit(1);
  }
}
// The demo profile (history DB, settings changed in the UI) survives between `npm start` runs;
// `rm -rf .nt-run/start` resets it. Without the fake, drop a stale demo baseUrl.
// NT_START_PROFILE names another profile folder (the `npm start` check in `npm test` uses its own).
const run = createRun(process.env.NT_START_PROFILE || 'start', { keep: true });
{
  const current = readSettings(run);
  if (!fake && /^http:\/\/127\.0\.0\.1:/.test(String(current['neuralTerminal.baseUrl'] ?? ''))) delete current['neuralTerminal.baseUrl'];
  writeSettings(run, { ...current, ...settings });
}
let port = portArg;
if (!port) {
  // A stable port is nicer to bookmark; fall back to any free one.
  port = 8080;
  const probe = await import('node:net').then(({ default: net }) => new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, host, () => s.close(() => resolve(true)));
  }));
  if (!probe) port = await freePort();
}
const env = {};
if (process.env.OPENROUTER_API_KEY) env.OPENROUTER_API_KEY = process.env.OPENROUTER_API_KEY;
let server;
try {
  server = await startCodeServer(run, { host, port, timeoutMs: 90_000, env });
} catch (err) {
  console.error(`[start] ${err.message}`);
  if (fake) await fake.stop();
  process.exit(1);
}
const url = server.workbenchUrl({ extensionDevelopmentPath: REPO_ROOT });
console.log('');
say(`code-server ${server.url} is running with Neural Terminal as a development extension.`);
say('Open this URL in a browser (the payload loads the extension from this checkout):');
console.log(`\n  ${url}\n`);
say('Then click the Neural Terminal icon in the activity bar. Press Ctrl+C to stop everything.');
say(`Logs and profile: ${run.dir}`);

const code_ = await server.exited;
console.error(`[start] code-server exited (${code_?.code ?? code_?.sig}); stopping.`);
if (fake) await fake.stop();
await killGroup(server.pid, 1000);
process.exit(1);
