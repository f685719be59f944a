#!/usr/bin/env node
// `npm test`: every layer in one command, on an offline machine.
//   unit    mocha over test/unit (the repo's .mocharc.json, tsx)
//   build   `npm run build` (dist/extension.js + dist/webview/*), needed by editor + e2e
//   editor  integration tests INSIDE code-server's real extension host (payload URL with
//           extensionDevelopmentPath + extensionTestsPath), result JSON written by the test entry
//   e2e     mocha + tsx + playwright-core over test/e2e/*.e2e.ts (chromium against code-server)
//   start   `npm start` as the README says, headless: URL printed and served, SIGTERM stops it,
//           nothing left behind (scripts/lib/startCheck.mjs); under CI with an empty tool cache
// Each stage prints `N passed, N failed`; the last line is the total `N passed, N failed`.
// Exit code is non-zero on any failure, crash or timeout. Every wait is bounded.
//
//   node scripts/test.mjs [--only static|unit|browser|editor|e2e|start[,...]] [--grep <re>] [--headed]
//   env: NT_EDITOR_TIMEOUT_MS (default 300000), NT_E2E_TIMEOUT_MS (1200000), NT_START_TIMEOUT_MS (900000),
//        NT_START_FRESH_TOOLS=1 (the start stage installs into an empty tool cache, as CI does),
//        NT_UNIT_TIMEOUT_MS (1200000), NT_VERBOSE=1 (echo the whole workbench log)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import {
  createRun, installSignalHandlers, killGroup, launchBrowser, newAutomationPage, startCodeServer, trackGroup,
  withTimeout, writeSettings,
} from './lib/codeServer.mjs';
import { buildIntegrationTests, INTEGRATION_OUT } from './lib/buildTests.mjs';
import { fakeServerAvailable, startFakeServer } from './lib/fakeServer.mjs';
import { filesContaining } from './lib/fileScan.mjs';
import { runStartCheck } from './lib/startCheck.mjs';
import { REPO_ROOT, toolsStatus } from './lib/tools.mjs';

const RESULTS_DIR = join(REPO_ROOT, 'test-results');
const STATS_REPORTER = join(REPO_ROOT, 'scripts', 'lib', 'statsReporter.cjs');
const MOCHA_BIN = join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
/** Must equal TEST_KEY in test/integration/activation.test.ts: the run folder is scanned for it. */
const INTEGRATION_TEST_KEY = 'sk-or-v1-nt-integration-0123456789abcdef0123456789abcdef';
const ALL_STAGES = ['static', 'unit', 'browser', 'editor', 'e2e', 'start'];

// ------------------------------------------------------------------ arguments
const argv = process.argv.slice(2);
function opt(name) {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}
const only = opt('--only');
const stages = only ? only.split(',').map((s) => s.trim()).filter(Boolean) : ALL_STAGES;
for (const s of stages) {
  if (!ALL_STAGES.includes(s)) {
    console.error(`unknown stage "${s}" (use --only ${ALL_STAGES.join('|')})`);
    process.exit(2);
  }
}
const grep = opt('--grep');
const headed = argv.includes('--headed');
const verbose = process.env.NT_VERBOSE === '1';
const num = (v, d) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
const UNIT_TIMEOUT = num(process.env.NT_UNIT_TIMEOUT_MS, 20 * 60_000);
const BUILD_TIMEOUT = num(process.env.NT_BUILD_TIMEOUT_MS, 5 * 60_000);
const EDITOR_TIMEOUT = num(process.env.NT_EDITOR_TIMEOUT_MS, 5 * 60_000);
const E2E_TIMEOUT = num(process.env.NT_E2E_TIMEOUT_MS, 20 * 60_000);
const START_TIMEOUT = num(process.env.NT_START_TIMEOUT_MS, 15 * 60_000);

installSignalHandlers();
mkdirSync(RESULTS_DIR, { recursive: true });

const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
const banner = (s) => console.log(`\n━━━ ${s} ${'━'.repeat(Math.max(3, 70 - s.length))}`);

// ------------------------------------------------------------------ helpers
/**
 * Run a command in its own process group with inherited stdio; bounded by timeoutMs (then the
 * group is killed). Resolves { code, signal, timedOut, ms }.
 */
function runProcess(cmd, args, { timeoutMs, env = {}, label = cmd } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test] ${label} timed out after ${sec(timeoutMs)}: killing it`);
      void killGroup(child.pid);
    }, timeoutMs);
    // Ctrl+C reaches only our group (the child is detached): the signal handlers kill tracked groups.
    const untrack = child.pid ? trackGroup(child.pid, label) : () => {};
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, signal: null, timedOut, ms: Date.now() - t0, error: err });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // The leader exited; make sure nothing it started lingers.
      void killGroup(child.pid, 1000).then(() => { untrack(); resolve({ code, signal, timedOut, ms: Date.now() - t0 }); });
    });
  });
}

function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return undefined; }
}

/** Mocha run whose counts come from scripts/lib/statsReporter.cjs. */
async function runMocha(name, args, { timeoutMs, env = {} }) {
  const statsFile = join(RESULTS_DIR, `${name}-stats.json`);
  rmSync(statsFile, { force: true });
  const r = await runProcess(process.execPath, args, {
    timeoutMs, env: { NT_MOCHA_STATS: statsFile, ...env }, label: `${name} mocha`,
  });
  const stats = readJson(statsFile);
  const res = { passed: 0, failed: 0, ms: r.ms, notes: [] };
  if (stats) {
    res.passed = stats.passed;
    res.failed = stats.failed;
    res.failures = stats.failures;
  }
  if (r.timedOut) { res.failed += 1; res.notes.push(`timed out after ${sec(timeoutMs)}`); }
  else if (!stats) { res.failed += 1; res.notes.push(`mocha ${r.error ? `failed to start: ${r.error.message}` : `exited ${r.code ?? r.signal}`} without reporting results`); }
  else if (r.code !== 0 && stats.failed === 0) { res.failed += 1; res.notes.push(`mocha exited ${r.code ?? r.signal} although no test failed`); }
  return res;
}

// ------------------------------------------------------------------ stages
/** Type check and lint: each counts as one test, so a type error fails the run. */
async function stageStatic() {
  const res = { passed: 0, failed: 0, ms: 0, notes: [] };
  for (const [label, bin, args] of [
    // One program per runtime: the host (Node, no DOM), the view (DOM, no Node), browser-driving tests.
    ...['.', 'src/webview', 'test/browser'].map((project) => [`typecheck ${project} (tsc --noEmit)`, join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ['--noEmit', '-p', project]]),
    ['lint (eslint)', join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), ['.']],
  ]) {
    const r = await runProcess(process.execPath, [bin, ...args], { timeoutMs: UNIT_TIMEOUT, label });
    res.ms += r.ms;
    if (r.code === 0 && !r.timedOut) res.passed += 1;
    else {
      res.failed += 1;
      res.notes.push(`${label} failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`})`);
    }
  }
  return res;
}

/** The webview in chromium with the production CSP (test/browser, its own mocha config). */
async function stageBrowser() {
  const args = [MOCHA_BIN, '--config', join(REPO_ROOT, 'test', 'browser', '.mocharc.json'), '--reporter', STATS_REPORTER];
  if (grep) args.push('--grep', grep);
  return runMocha('browser', args, { timeoutMs: E2E_TIMEOUT });
}

async function stageUnit() {
  if (!existsSync(MOCHA_BIN)) return { passed: 0, failed: 1, notes: ['mocha is not installed (npm ci)'] };
  // Same as `npx mocha` (the repo's .mocharc.json picks the files and tsx), plus our stats reporter.
  const args = [MOCHA_BIN, '--reporter', STATS_REPORTER];
  if (grep) args.push('--grep', grep);
  return runMocha('unit', args, { timeoutMs: UNIT_TIMEOUT });
}

let buildResult;
async function stageBuild() {
  if (buildResult) return buildResult;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = await runProcess(npm, ['run', 'build'], { timeoutMs: BUILD_TIMEOUT, label: 'npm run build' });
  const ok = r.code === 0 && !r.timedOut && existsSync(join(REPO_ROOT, 'dist', 'extension.js'));
  buildResult = { ok, ms: r.ms, note: ok ? '' : r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}${r.code === 0 ? ' but dist/extension.js is missing' : ''}` };
  return buildResult;
}

async function stageEditor() {
  const res = { passed: 0, failed: 0, ms: 0, notes: [] };
  const t0 = Date.now();
  const st = toolsStatus();
  if (!st.ok) return { ...res, failed: 1, notes: [`editor tool chain missing (${st.missing.join(', ')}): bash scripts/setup-tools.sh`] };

  let bundle;
  try {
    bundle = await withTimeout(buildIntegrationTests(), 120_000, 'building the integration tests');
    console.log(`[editor] bundled ${bundle.tests.length} test file(s) into ${relative(REPO_ROOT, INTEGRATION_OUT)} (${bundle.ms} ms)`);
  } catch (err) {
    return { ...res, failed: 1, notes: [`integration bundle failed: ${err.message}`] };
  }

  const run = createRun('editor');
  const resultFile = join(run.dir, 'integration-result.json');
  const fallbackResult = join(INTEGRATION_OUT, 'result.json');
  for (const f of [resultFile, fallbackResult]) {
    rmSync(f, { force: true });
    rmSync(`${f}.partial`, { force: true });
  }
  const workbenchLog = join(run.dir, 'workbench.log');
  let fake, server, browser, page;
  let exitCode;
  try {
    const settings = {};
    const env = { NT_TEST_RESULT: resultFile };
    if (grep) env.NT_TEST_GREP = grep;
    if (fakeServerAvailable()) {
      try {
        fake = await startFakeServer({ timeoutMs: 30_000, args: ['--max-lifetime-sec', '3600'] });
        settings['neuralTerminal.baseUrl'] = fake.url;
        env.NT_FAKE_OPENROUTER_URL = fake.url;
        console.log(`[editor] fake OpenRouter at ${fake.url}`);
      } catch (err) {
        res.notes.push(`fake OpenRouter did not start: ${err.message.split('\n')[0]}`);
      }
    }
    writeSettings(run, settings);

    server = await startCodeServer(run, { env, timeoutMs: 90_000 });
    console.log(`[editor] code-server ${server.url} ready in ${server.startedMs} ms (run folder ${relative(REPO_ROOT, run.dir) || run.dir})`);
    browser = await launchBrowser(run, { headless: !headed });
    let echoed = 0;
    const auto = await newAutomationPage(browser, {
      onLog: (level, raw) => {
        let msg = raw;
        try { const a = JSON.parse(raw); if (Array.isArray(a)) msg = format(...a); } catch { /* plain */ }
        appendFileSync(workbenchLog, `[${level}] ${msg}\n`);
        const i = msg.indexOf('[nt-test] ');
        if (i >= 0) { console.log(`  ${msg.slice(i + 10)}`); echoed++; }
        else if (verbose) console.log(`  [workbench ${level}] ${msg.slice(0, 400)}`);
      },
    });
    page = auto.page;
    page.on('pageerror', (err) => appendFileSync(workbenchLog, `[pageerror] ${err.stack ?? err}\n`));
    const url = server.workbenchUrl({ extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: bundle.entry });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    // Finished = the extension host exited (codeAutomationExit) — or the result file exists and
    // the exit did not follow within 15 s. Crashed/hung = neither within EDITOR_TIMEOUT.
    const resultAppeared = (async () => {
      const deadline = Date.now() + EDITOR_TIMEOUT;
      while (Date.now() < deadline) {
        if (existsSync(resultFile) || existsSync(fallbackResult)) {
          await new Promise((r) => setTimeout(r, 15_000));
          return 'result-file';
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return 'timeout';
    })();
    const outcome = await Promise.race([auto.exit.then((c) => ({ exit: c })), resultAppeared.then((k) => ({ kind: k }))]);
    if ('exit' in outcome) exitCode = outcome.exit;
    else if (outcome.kind === 'timeout') res.notes.push(`no result within ${sec(EDITOR_TIMEOUT)} (tests hung or never started)`);
    else res.notes.push('extension host did not report its exit within 15 s of writing the result');
    if (echoed === 0 && !verbose) console.log(`  (no test output was forwarded; see ${relative(REPO_ROOT, workbenchLog)})`);
  } catch (err) {
    res.notes.push(`harness error: ${err.message.split('\n').slice(0, 6).join('\n')}`);
  } finally {
    const result = readJson(resultFile) ?? readJson(fallbackResult);
    if (page && (!result || result.failed > 0)) {
      const shot = join(RESULTS_DIR, 'editor-failure.png');
      await withTimeout(page.screenshot({ path: shot }), 10_000, 'screenshot').then(
        () => res.notes.push(`screenshot: ${relative(REPO_ROOT, shot)}`), () => {},
      );
    }
    if (browser) await withTimeout(browser.close(), 10_000, 'closing chromium').catch(() => {});
    if (server) await server.stop();
    if (fake) await fake.stop();

    if (!result) {
      res.failed += 1;
      res.notes.push(`no result file from the extension host (exit code ${exitCode ?? 'none'}); logs: ${relative(REPO_ROOT, run.dir)}/`);
      const partial = readJson(`${resultFile}.partial`) ?? readJson(`${fallbackResult}.partial`);
      if (partial) {
        res.passed += partial.passed;
        res.failed += partial.failed;
        res.failures = (partial.tests ?? []).filter((t) => t.state === 'failed').map((t) => ({ title: t.title, error: t.error }));
        if (partial.running) res.failures.push({ title: partial.running, error: 'was running when the extension host stopped reporting (hung or crashed)' });
      }
    } else {
      res.passed += result.passed;
      res.failed += result.failed;
      res.failures = (result.tests ?? []).filter((t) => t.state === 'failed').map((t) => ({ title: t.title, error: t.error }));
      if (result.crash) res.notes.push(`mocha crashed in the extension host: ${result.crash.split('\n')[0]}`);
      if (exitCode !== undefined && exitCode !== 0 && result.failed === 0) {
        res.failed += 1;
        res.notes.push(`extension host exited with code ${exitCode} although no test failed`);
      }
      // Harness-level check: the fake key the tests stored must not be on disk anywhere in the
      // run folder (logs, global storage, settings, code-server's own files).
      if (result.passed + result.failed > 0) {
        const leaks = filesContaining(run.dir, INTEGRATION_TEST_KEY);
        if (leaks.length === 0) {
          res.passed += 1;
          console.log('  ✔ the API key used by the tests appears in no file of the run folder');
        } else {
          res.failed += 1;
          res.failures = [...(res.failures ?? []), { title: 'API key written to disk', error: leaks.map((p) => relative(run.dir, p)).join(', ') }];
          console.log(`  ✘ the API key used by the tests was found on disk: ${leaks.join(', ')}`);
        }
      }
    }
  }
  res.ms = Date.now() - t0;
  return res;
}

async function stageE2E() {
  const st = toolsStatus();
  if (!st.ok) return { passed: 0, failed: 1, notes: [`editor tool chain missing (${st.missing.join(', ')}): bash scripts/setup-tools.sh`] };
  const dir = join(REPO_ROOT, 'test', 'e2e');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort() : [];
  if (files.length === 0) return { passed: 0, failed: 1, notes: ['no test/e2e/*.e2e.ts files'] };
  // A separate mocha invocation: --no-config/--no-package so the unit .mocharc.json is not picked up.
  const args = [
    '--import', 'tsx',
    MOCHA_BIN,
    '--no-config', '--no-package',
    '--require', join(dir, 'harness.ts'),
    '--reporter', STATS_REPORTER,
    '--timeout', '180000',
    '--slow', '15000',
    '--exit',
    ...(grep ? ['--grep', grep] : []),
    ...files.map((f) => join('test', 'e2e', f)),
  ];
  return runMocha('e2e', args, { timeoutMs: E2E_TIMEOUT, env: { NT_TEST_RESULTS_DIR: RESULTS_DIR, ...(headed ? { NT_HEADED: '1' } : {}) } });
}

// ------------------------------------------------------------------ main
const summary = [];
const watchdogMs = UNIT_TIMEOUT + BUILD_TIMEOUT + EDITOR_TIMEOUT + E2E_TIMEOUT + START_TIMEOUT + 5 * 60_000;
const watchdog = setTimeout(() => {
  console.error(`\n[test] overall watchdog (${sec(watchdogMs)}) fired`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}, watchdogMs);
watchdog.unref();

function report(name, r) {
  const line = `${r.passed} passed, ${r.failed} failed`;
  console.log(`\n[${name}] ${line}${r.ms !== undefined ? ` (${sec(r.ms)})` : ''}`);
  for (const n of r.notes ?? []) console.log(`[${name}]   ! ${n}`);
  for (const f of r.failures ?? []) console.log(`[${name}]   ✘ ${f.title}${f.error ? `\n        ${String(f.error).split('\n').slice(0, 4).join('\n        ')}` : ''}`);
  summary.push({ name, ...r });
}

const t0 = Date.now();
for (const stage of stages) {
  try {
    if (stage === 'static') {
      banner('static checks (typecheck, lint)');
      report('static', await stageStatic());
      continue;
    }
    if (stage === 'unit') {
      banner('unit tests (mocha + tsx)');
      report('unit', await stageUnit());
      continue;
    }
    if (stage === 'start') {
      // `npm start` builds for itself; CI gives it an empty tool cache so its set-up path runs too.
      const freshTools = process.env.NT_START_FRESH_TOOLS === '1' || process.env.CI === 'true';
      banner(`start: npm start, headless${freshTools ? ', empty tool cache' : ''}`);
      report('start', await runStartCheck({ freshTools, timeoutMs: START_TIMEOUT }));
      continue;
    }
    const b = await (async () => {
      if (buildResult) return buildResult;
      banner('build (npm run build)');
      return stageBuild();
    })();
    if (!b.ok) {
      if (!summary.some((s) => s.name === 'build')) report('build', { passed: 0, failed: 1, ms: b.ms, notes: [`npm run build failed: ${b.note}`] });
      report(stage, { passed: 0, failed: 0, notes: ['skipped: the build failed'] });
      continue;
    }
    if (!summary.some((s) => s.name === 'build')) {
      console.log(`[build] ok (${sec(b.ms)})`);
      summary.push({ name: 'build', passed: 0, failed: 0, ms: b.ms });
    }
    if (stage === 'browser') {
      banner('browser: the webview in chromium with the production CSP');
      report('browser', await stageBrowser());
    } else if (stage === 'editor') {
      banner('editor: integration tests in code-server\'s extension host');
      report('editor', await stageEditor());
    } else if (stage === 'e2e') {
      banner('e2e: chromium + playwright-core against code-server');
      report('e2e', await stageE2E());
    }
  } catch (err) {
    report(stage, { passed: 0, failed: 1, notes: [`crashed: ${err?.stack ?? err}`] });
  }
}

const passed = summary.reduce((n, s) => n + s.passed, 0);
const failed = summary.reduce((n, s) => n + s.failed, 0);
banner('summary');
for (const s of summary) console.log(`  ${s.name.padEnd(7)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${s.ms !== undefined ? sec(s.ms) : ''}`);
console.log(`  total time ${sec(Date.now() - t0)}`);
writeFileSync(join(RESULTS_DIR, 'summary.json'), JSON.stringify({ passed, failed, stages: summary.map((s) => ({ name: s.name, passed: s.passed, failed: s.failed, ms: s.ms, notes: s.notes })) }, null, 2));
console.log(`${passed} passed, ${failed} failed`);
// Exit explicitly: a lingering handle must not keep `npm test` alive (the exit hook kills groups).
process.exit(failed > 0 ? 1 : 0);
