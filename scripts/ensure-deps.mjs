#!/usr/bin/env node
// Pre-script of `npm start` / `npm test`: makes sure node_modules matches package-lock.json
// (runs `npm ci`, or `npm install` without a lockfile) and, with --tools, that the editor/browser
// tool cache exists (runs scripts/setup-tools.sh). DEPENDENCY-FREE: node built-ins only, because
// it runs before node_modules exists. Fast path (everything present) is a hash + stat, well < 1 s.
//
//   node scripts/ensure-deps.mjs [--tools] [--quiet]
//   NT_SKIP_DEPS=1   skip the node_modules check      NT_SKIP_TOOLS=1   skip the tool check
//
// Nested installs get an environment without what the parent npm exported (lib/cleanEnv.mjs), and
// their output goes to a log: a failure prints the step, the likely cause and the log's path.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanNpmEnv } from './lib/cleanEnv.mjs';
import { explainNpmFailure } from './lib/setupFailure.mjs';
import { REPO_ROOT, SETUP_SCRIPT, TOOLS_DIR, toolsStatus } from './lib/tools.mjs';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const log = (msg) => { if (!quiet) console.log(`[ensure-deps] ${msg}`); };

const LOCK = join(REPO_ROOT, 'package-lock.json');
const PKG = join(REPO_ROOT, 'package.json');
const NM = join(REPO_ROOT, 'node_modules');
const STAMP = join(NM, '.nt-deps-stamp');
const HIDDEN_LOCK = join(NM, '.package-lock.json'); // written by npm after every install

function fingerprint() {
  const h = createHash('sha256');
  const hasLock = existsSync(LOCK);
  h.update(hasLock ? readFileSync(LOCK) : readFileSync(PKG));
  h.update(`\0node-abi=${process.versions.modules}\0${process.platform}-${process.arch}`);
  return { hash: h.digest('hex'), hasLock };
}

/**
 * When there is no (matching) stamp — e.g. node_modules came from a plain `npm ci` or the lead ran
 * `npm install x` which updated the lockfile too — compare npm's own hidden lockfile with the
 * lockfile instead of reinstalling: every locked, non-optional package must be installed at the
 * locked version, and nothing installed may differ from the lock.
 */
function installedMatchesLock() {
  if (!existsSync(LOCK) || !existsSync(HIDDEN_LOCK)) return false;
  try {
    const want = JSON.parse(readFileSync(LOCK, 'utf8')).packages ?? {};
    const have = JSON.parse(readFileSync(HIDDEN_LOCK, 'utf8')).packages ?? {};
    for (const [path, meta] of Object.entries(want)) {
      if (path === '' || !path.startsWith('node_modules/')) continue; // root / workspace links
      const got = have[path];
      if (!got) {
        if (meta.optional || meta.peer) continue; // platform-specific optional deps are skipped
        return false;
      }
      if (meta.version && got.version !== meta.version) return false;
      if (!existsSync(join(REPO_ROOT, path))) return false;
    }
    for (const path of Object.keys(have)) {
      if (path.startsWith('node_modules/') && !(path in want)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function writeStamp(hash) {
  const tmp = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(tmp, `${hash}\n`);
  renameSync(tmp, STAMP);
}

const LOG_DIR = join(REPO_ROOT, '.nt-run', 'logs');
const { env: CLEAN_ENV } = cleanNpmEnv(process.env);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: REPO_ROOT, stdio: 'inherit', env: CLEAN_ENV, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** Runs cmd with its output in logFile; on failure prints a three-line summary and exits. */
function runLogged(step, cmd, argv, logFile, opts = {}) {
  mkdirSync(LOG_DIR, { recursive: true });
  const r = spawnSync(cmd, argv, { cwd: REPO_ROOT, env: CLEAN_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  writeFileSync(logFile, text);
  if (r.status === 0 && !r.error) return;
  const { cause, lines } = explainNpmFailure(text);
  console.error(`[ensure-deps] FAILED step: ${step} (exit ${r.status ?? r.signal ?? 'none'})`);
  console.error(`[ensure-deps]   likely cause: ${cause}`);
  for (const l of lines) console.error(`[ensure-deps]   | ${l}`);
  console.error(`[ensure-deps]   full log: ${logFile}`);
  process.exit(r.status || 1);
}

function ensureNodeModules() {
  if (process.env.NT_SKIP_DEPS === '1') return;
  const { hash, hasLock } = fingerprint();
  let stamp = '';
  try { stamp = readFileSync(STAMP, 'utf8').trim(); } catch { /* absent */ }
  if (stamp === hash && existsSync(join(NM, '.bin'))) return; // fast path
  if (existsSync(NM) && installedMatchesLock()) {
    writeStamp(hash);
    log('node_modules matches package-lock.json');
    return;
  }
  const npmArgs = hasLock ? ['ci'] : ['install'];
  const logFile = join(LOG_DIR, `npm-${npmArgs[0]}.log`);
  log(`node_modules ${existsSync(NM) ? 'is stale' : 'is missing'}: running npm ${npmArgs.join(' ')} (log: ${logFile})`);
  const t0 = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  runLogged(`npm ${npmArgs[0]} (project dependencies)`, npm, [...npmArgs, '--no-audit', '--no-fund'], logFile, { shell: process.platform === 'win32' });
  writeStamp(fingerprint().hash); // npm install may have written a lockfile
  log(`dependencies installed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function ensureTools() {
  if (!args.has('--tools') || process.env.NT_SKIP_TOOLS === '1') return;
  if (process.platform !== 'linux') {
    log('the code-server tool chain is installed on Linux only: see README "macOS and Windows" (npm run test:unit, npm run test:electron)');
    return;
  }
  const st = toolsStatus();
  if (st.ok) return;
  const what = st.missing.length >= 3 ? `not installed yet in ${TOOLS_DIR}` : `incomplete (${st.missing.join(', ')})`;
  log(`editor tool chain ${what}: running scripts/setup-tools.sh`);
  const status = run('bash', [SETUP_SCRIPT]);
  if (status !== 0) {
    // setup-tools.sh already named the step, the cause and its log.
    console.error(`[ensure-deps] the editor tool chain is not installed (scripts/setup-tools.sh exit ${status}); see the FAILED step above`);
    process.exit(status);
  }
  const after = toolsStatus();
  if (!after.ok) {
    console.error(`[ensure-deps] tool chain still incomplete: ${after.missing.join(', ')}`);
    process.exit(1);
  }
}

ensureNodeModules();
ensureTools();
