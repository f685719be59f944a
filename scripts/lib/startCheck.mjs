// The `npm start` check of `npm test`: runs `npm start` exactly as the README says, headless
// (code-server, no desktop editor), and checks what a newcomer relies on:
//   1. it prints the editor URL;            2. the URL answers (HTTP 200 or a redirect);
//   3. SIGTERM to npm stops it cleanly;     4. no process it started is left behind.
// With a fresh tool cache (NT_START_FRESH_TOOLS=1, and always under CI) the set-up path of
// `npm start` installs Node 24 and code-server itself, as on a new machine.
// Processes are found by a marker variable every descendant inherits, so nothing else is touched.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanNpmEnv } from './cleanEnv.mjs';
import { freePort, httpStatus, killGroup, trackGroup } from './codeServer.mjs';
import { REPO_ROOT } from './tools.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** pids of live processes whose environment holds `name=value` (Linux /proc; none elsewhere). */
export function processesWithMarker(name, value) {
  const needle = Buffer.from(`${name}=${value}\0`);
  const pids = [];
  let entries;
  try { entries = readdirSync('/proc'); } catch { return pids; }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`);
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z /.test(stat)) continue; // a zombie is already dead, awaiting its parent
      if (env.includes(needle)) pids.push(Number(e));
    } catch { /* gone, or not ours to read */ }
  }
  return pids;
}

/**
 * @param {{ freshTools: boolean, timeoutMs: number, log?: (line: string) => void }} opts
 * @returns {Promise<{ passed: number, failed: number, ms: number, notes: string[], failures: {title: string, error?: string}[] }>}
 */
export async function runStartCheck({ freshTools, timeoutMs, log = (l) => console.log(l) }) {
  const t0 = Date.now();
  const res = { passed: 0, failed: 0, ms: 0, notes: [], failures: [] };
  const check = (title, ok, error) => {
    if (ok) { res.passed += 1; log(`  ✔ ${title}`); } else { res.failed += 1; res.failures.push({ title, error }); log(`  ✘ ${title}${error ? `: ${error}` : ''}`); }
  };
  const marker = randomBytes(8).toString('hex');
  const toolsDir = freshTools ? join(mkdtempSync(join(tmpdir(), 'nt-start-tools-')), 'tools') : undefined;
  const port = await freePort();
  const { env: base } = cleanNpmEnv(process.env);
  delete base.OPENROUTER_API_KEY; // the demo endpoint: no real network
  const env = {
    ...base, NT_START_CHECK: marker, NT_FORCE_CODE_SERVER: '1', NT_PORT: String(port),
    NT_START_PROFILE: 'start-check', ...(toolsDir ? { NT_TOOLS_DIR: toolsDir } : {}),
  };
  log(`[start] npm start on port ${port}${toolsDir ? ` with an empty tool cache (${toolsDir})` : ' with the current tool cache'}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Own process group, so that whatever happens the harness can clean up; the check itself
  // signals only npm's pid, as a service manager would.
  const child = spawn(npm, ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const untrack = trackGroup(child.pid, 'npm start');
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const urlSeen = new Promise((resolve) => {
    const onData = (buf) => {
      const text = buf.toString();
      out += text;
      for (const line of text.split('\n')) if (/^\[(start|setup-tools|ensure-deps)\]/.test(line)) log(`    ${line}`);
      const m = out.match(new RegExp(`(http://127\\.0\\.0\\.1:${port}/\\?\\S+)`));
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  try {
    const first = await Promise.race([
      urlSeen.then((url) => ({ url })),
      exited.then((e) => ({ exit: e })),
      sleep(timeoutMs).then(() => ({ timeout: true })),
    ]);
    const url = first.url;
    check('npm start prints the editor URL', Boolean(url),
      first.exit ? `npm start exited (${first.exit.code ?? first.exit.signal}) first; last output:\n${out.split('\n').slice(-8).join('\n')}` : 'no URL within the time limit');
    if (url) {
      const status = await httpStatus(url, 10_000);
      check(`the URL answers with HTTP 200 or a redirect (got ${status})`, status === 200 || (status >= 300 && status < 400), `HTTP ${status}`);
      const stoppedAt = Date.now();
      process.kill(child.pid, 'SIGTERM');
      const stop = await Promise.race([exited, sleep(30_000).then(() => undefined)]);
      check(`SIGTERM stops npm start${stop ? ` (${Date.now() - stoppedAt} ms)` : ''}`, Boolean(stop), 'still running 30 s after SIGTERM');
      let left = processesWithMarker('NT_START_CHECK', marker);
      for (let i = 0; i < 20 && left.length > 0; i++) { await sleep(250); left = processesWithMarker('NT_START_CHECK', marker); }
      check('no process started by npm start is left behind', left.length === 0,
        `${left.length} left: ${left.map((p) => { try { return `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`; } catch { return String(p); } }).join('; ')}`);
    }
  } finally {
    await killGroup(child.pid, 2000);
    for (const pid of processesWithMarker('NT_START_CHECK', marker)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    untrack();
    if (toolsDir) rmSync(join(toolsDir, '..'), { recursive: true, force: true, maxRetries: 3 });
  }
  res.ms = Date.now() - t0;
  return res;
}
