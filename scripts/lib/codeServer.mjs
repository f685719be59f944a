// Start code-server (VS Code's workbench + real extension host) and a chromium driven by
// playwright-core, following docs/testing.md. Used by scripts/test.mjs (editor + e2e
// stages), scripts/start.mjs and the E2E harness (test/e2e/harness.ts).
//
// Every process started here is registered and killed by process group (TERM, then KILL) on
// stop(), on SIGINT/SIGTERM/SIGHUP and, as a last resort, synchronously on process exit.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanNpmEnv } from './cleanEnv.mjs';
import { CHROMIUM, CODE_SERVER_ENTRY, NODE24, REPO_ROOT, toolsStatus } from './tools.mjs';

export const EXTENSION_ID = 'neural-terminal.neural-terminal';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Settings every run gets; callers add/override (e.g. workbench.colorTheme, neuralTerminal.baseUrl). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ process-group bookkeeping
/** @type {Set<{pid:number,name:string}>} */
const groups = new Set();
let handlersInstalled = false;

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** TERM the process group, wait up to graceMs, then KILL it. Never throws. */
export async function killGroup(pid, graceMs = 4000) {
  if (!pid) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    const hard = Date.now() + 2000;
    while (groupAlive(pid) && Date.now() < hard) await sleep(50);
  }
}

/**
 * Register a detached child's process group so that signals and process exit kill it too.
 * @returns {() => void} unregister
 */
export function trackGroup(pid, name = 'child') {
  const g = { pid, name };
  groups.add(g);
  return () => groups.delete(g);
}

/** Callbacks run (bounded) when a signal arrives — e.g. closing the browser. */
const cleanups = new Set();
export function onCleanup(fn) { cleanups.add(fn); return () => cleanups.delete(fn); }

export function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  let stopping = false;
  const onSignal = async (sig) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n[nt] ${sig}: stopping ${groups.size} process group(s)...`);
    const timer = setTimeout(() => process.exit(sig === 'SIGINT' ? 130 : 143), 10_000);
    timer.unref();
    await Promise.allSettled([...cleanups].map((fn) => Promise.race([fn(), sleep(3000)])));
    await Promise.allSettled([...groups].map((g) => killGroup(g.pid, 3000)));
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGHUP' ? 129 : 143);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void onSignal(sig));
  process.on('exit', () => {
    for (const g of groups) {
      try { process.kill(-g.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });
}

// ------------------------------------------------------------------ environment
const STRIP_EXACT = new Set(['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'NODE_OPTIONS', 'CS_DISABLE_FILE_DOWNLOADS']);
const STRIP_PREFIX = ['VSCODE_', 'CODE_SERVER_', 'ELECTRON_'];

/** A copy of env without the variables that make code-server/chromium misbehave, XDG_* and TMPDIR in the run folder. */
export function cleanEnv(run, extra = {}) {
  const env = {};
  // Also without what a parent npm exported (`npm test`/`npm start` run us as scripts).
  for (const [k, v] of Object.entries(cleanNpmEnv(process.env).env)) {
    if (v === undefined || STRIP_EXACT.has(k) || STRIP_PREFIX.some((p) => k.startsWith(p))) continue;
    env[k] = v;
  }
  if (run) {
    env.XDG_CONFIG_HOME = run.xdgConfig;
    env.XDG_DATA_HOME = run.xdgData;
    env.XDG_CACHE_HOME = run.xdgCache;
    env.TMPDIR = run.tmp;
  }
  return { ...env, ...extra };
}

// ------------------------------------------------------------------ run folder
/**
 * A fresh run folder: `<repo>/.nt-run/<name>-<pid>` (gitignored), or `$TMPDIR/nt-run-<uid>/<name>-<pid>` when the repo
 * path is so long that unix-socket paths inside it could exceed 107 bytes. Wiped at creation
 * unless `keep` (then the profile — history, user settings — survives; `settings` still win).
 * @param {string} name
 * @param {{settings?: Record<string, unknown>, workspace?: string, keep?: boolean}} [opts]
 */
export function createRun(name, opts = {}) {
  const base = process.env.NT_RUN_DIR
    || (join(REPO_ROOT, '.nt-run').length <= 48 ? join(REPO_ROOT, '.nt-run') : join(tmpdir(), `nt-run-${process.getuid?.() ?? 'u'}`));
  // One folder per process (`<name>-<pid>`) so that two runs at once (e.g. two engineers' `npm test`
  // in the same checkout) never wipe each other's profile. Folders of dead processes are pruned
  // here, so the last run's logs stay until the next run. `keep` uses the fixed `<name>`.
  let dir = join(base, name);
  if (!opts.keep) {
    pruneDeadRuns(base, name);
    dir = join(base, `${name}-${process.pid}`);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
  const run = {
    name,
    dir,
    userData: join(dir, 'ud'),
    extensions: join(dir, 'ext'),
    xdgConfig: join(dir, 'xdg', 'config'),
    xdgData: join(dir, 'xdg', 'data'),
    xdgCache: join(dir, 'xdg', 'cache'),
    tmp: join(dir, 'tmp'),
    workspace: opts.workspace ?? join(dir, 'workspace'),
    settingsFile: join(dir, 'ud', 'User', 'settings.json'),
    machineSettingsFile: join(dir, 'ud', 'Machine', 'settings.json'),
    logFile: join(dir, 'code-server.log'),
  };
  for (const d of [run.userData, run.extensions, run.xdgConfig, run.xdgData, run.xdgCache, run.tmp, run.workspace, dirname(run.settingsFile)]) {
    mkdirSync(d, { recursive: true });
  }
  // keep: reuse the profile (history, settings the user changed); our settings win.
  writeSettings(run, { ...(opts.keep ? readSettings(run) : {}), ...(opts.settings ?? {}) });
  return run;
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function pruneDeadRuns(base, name) {
  let entries;
  try { entries = readdirSync(base); } catch { return; }
  const re = new RegExp(`^${name.replace(/[^\w-]/g, '')}-(\\d+)$`);
  for (const e of entries) {
    const m = re.exec(e);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      rmSync(join(base, e), { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

/**
 * (Re)write the run's settings atomically, read by the workbench when it loads (code-server does
 * not apply later edits to an open page: reload it). Written twice: User/settings.json (user
 * settings) and Machine/settings.json (code-server's "remote" settings). The workbench is a remote
 * window, and `machine`-scoped settings such as `neuralTerminal.baseUrl` are only honoured from
 * the remote file there (seen with 4.139.1: from User/ alone the first page load ignores them).
 */
export function writeSettings(run, settings) {
  const json = JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2);
  for (const file of [run.settingsFile, run.machineSettingsFile]) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, json);
    renameSync(tmp, file);
  }
}

export function readSettings(run) {
  try { return JSON.parse(readFileSync(run.settingsFile, 'utf8')); } catch { return {}; }
}

// ------------------------------------------------------------------ code-server
/** A free TCP port on 127.0.0.1 (code-server does not accept port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** The HTTP status of a GET, or 0 when it fails or times out. */
export function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('timeout', () => { req.destroy(); resolve(0); });
    req.on('error', () => resolve(0));
  });
}

/**
 * Start code-server for a run folder. Resolves once /healthz answers (bounded by timeoutMs).
 * @param {ReturnType<typeof createRun>} run
 * @param {{ env?: Record<string,string>, timeoutMs?: number, port?: number, host?: string, quiet?: boolean }} [opts]
 */
export async function startCodeServer(run, opts = {}) {
  const st = toolsStatus();
  if (!st.ok) throw new Error(`editor tool chain missing (${st.missing.join(', ')}); run: bash scripts/setup-tools.sh`);
  installSignalHandlers();
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 90_000;
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? await freePort();
    const config = join(run.dir, 'config.yaml');
    writeFileSync(config, `auth: none\nbind-addr: ${host}:${port}\ncert: false\n`);
    const args = [
      CODE_SERVER_ENTRY,
      '--bind-addr', `${host}:${port}`,
      '--auth', 'none',
      '--config', config,
      '--disable-workspace-trust',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--vscode-option', 'enable-smoke-test-driver',
      '--user-data-dir', run.userData,
      '--extensions-dir', run.extensions,
      run.workspace,
    ];
    const env = cleanEnv(run, {
      PATH: `${dirname(NODE24)}:${process.env.PATH ?? ''}`,
      ...(opts.env ?? {}),
    });
    const fd = openSync(run.logFile, 'a');
    const child = spawn(NODE24, args, { cwd: run.dir, env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const group = { pid: child.pid, name: `code-server:${run.name}` };
    groups.add(group);
    let exited = null;
    const exitPromise = new Promise((resolve) => child.once('exit', (code, sig) => { exited = { code, sig }; resolve(exited); }));
    child.once('error', (err) => { exited = { code: -1, sig: String(err) }; });

    const t0 = Date.now();
    const url = `http://${host}:${port}`;
    let healthy = false;
    while (Date.now() - t0 < timeoutMs && !exited) {
      if (await httpStatus(`${url}/healthz`) === 200) { healthy = true; break; }
      await sleep(200);
    }
    if (healthy) {
      const handle = {
        run,
        port,
        url,
        pid: child.pid,
        startedMs: Date.now() - t0,
        exited: exitPromise,
        /** URL of the workbench with a payload (development extension and/or extension tests). */
        workbenchUrl(payload = {}) { return workbenchUrl(port, run.workspace, payload, host); },
        async stop() {
          await killGroup(child.pid);
          groups.delete(group);
        },
      };
      return handle;
    }
    await killGroup(child.pid);
    groups.delete(group);
    const tail = existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    lastError = new Error(`code-server did not become healthy on port ${port} within ${timeoutMs} ms` +
      `${exited ? ` (exited ${exited.code ?? exited.sig})` : ''}\n${tail}`);
    // A port race (EADDRINUSE) is retried with a new port; anything else is fatal.
    if (!/EADDRINUSE/.test(tail) || opts.port) break;
  }
  throw lastError;
}

/**
 * `http://HOST:PORT/?folder=WS&payload=[[...]]`. Paths are absolute file paths on this machine;
 * they are passed as vscode-remote URIs so the extension host (on the server) loads them.
 * @param {{ extensionDevelopmentPath?: string, extensionTestsPath?: string }} payload
 */
export function workbenchUrl(port, workspace, payload = {}, host = '127.0.0.1') {
  const remote = (p) => `vscode-remote://${host}:${port}${p}`;
  const items = [];
  if (payload.extensionDevelopmentPath) items.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) items.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  let url = `http://${host}:${port}/?folder=${encodeURIComponent(workspace)}`;
  if (items.length) url += `&payload=${encodeURIComponent(JSON.stringify(items))}`;
  return url;
}

// ------------------------------------------------------------------ chromium
/**
 * Launch Debian's chromium through playwright-core (bounded). The returned browser is closed by
 * the signal handlers too.
 * @param {ReturnType<typeof createRun>} run
 * @param {{ headless?: boolean, timeoutMs?: number }} [opts]
 */
export async function launchBrowser(run, opts = {}) {
  installSignalHandlers();
  const { chromium } = await import('playwright-core');
  // Playwright puts the browser profile and its artifacts under os.tmpdir() of THIS process:
  // point TMPDIR at the run folder for the duration of the launch so nothing lands in /tmp.
  const prevTmp = process.env.TMPDIR;
  process.env.TMPDIR = run.tmp;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: opts.headless ?? true,
      args: CHROMIUM_ARGS,
      env: cleanEnv(run),
      timeout: opts.timeoutMs ?? 60_000,
    });
  } finally {
    if (prevTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = prevTmp;
  }
  const off = onCleanup(() => browser.close().catch(() => {}));
  browser.once('disconnected', off);
  return browser;
}

/**
 * A new page with `window.codeAutomationExit` / `codeAutomationLog` exposed (must happen before
 * navigating). `exit` resolves with the extension host's exit code.
 * @param {import('playwright-core').Browser} browser
 * @param {{ onLog?: (level: string, msg: string) => void, viewport?: {width:number,height:number} }} [opts]
 */
export async function newAutomationPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  let resolveExit;
  const exit = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
  await page.exposeFunction('codeAutomationLog', (level, msg) => {
    if (opts.onLog) opts.onLog(String(level), typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
  return { context, page, exit };
}

/** Bound a promise: rejects with `label timed out` after ms. */
export function withTimeout(promise, ms, label) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms); t.unref?.(); }),
  ]);
}
