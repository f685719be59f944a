// Starts the project's fake OpenRouter (test/fixtures/serve.ts, run with tsx) and waits for the
// line `FAKE_OPENROUTER_URL=<url>` it prints once listening. Detached; killed by process group.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { killGroup, installSignalHandlers, onCleanup } from './codeServer.mjs';
import { REPO_ROOT } from './tools.mjs';

export const FAKE_SERVER_ENTRY = join(REPO_ROOT, 'test', 'fixtures', 'serve.ts');

export function fakeServerAvailable() {
  return existsSync(FAKE_SERVER_ENTRY);
}

/**
 * @param {{ timeoutMs?: number, env?: Record<string,string>, onOutput?: (line: string) => void, args?: string[] }} [opts]
 * @returns {Promise<{ url: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startFakeServer(opts = {}) {
  if (!fakeServerAvailable()) throw new Error(`${FAKE_SERVER_ENTRY} does not exist`);
  installSignalHandlers();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', 'tsx', FAKE_SERVER_ENTRY, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...(opts.env ?? {}) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    off();
    await killGroup(child.pid, 2000);
  };
  const off = onCleanup(stop);
  let buffered = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fake server printed no FAKE_OPENROUTER_URL within ${timeoutMs} ms\n${buffered.slice(-2000)}`)), timeoutMs);
    const onLine = (line) => {
      const m = /FAKE_OPENROUTER_URL=(\S+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]); }
      if (opts.onOutput) opts.onOutput(line);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffered = (buffered + chunk).slice(-8000);
        rest += chunk;
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`fake server exited (${code ?? sig}) before printing its URL\n${buffered.slice(-2000)}`)); });
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
  }).catch(async (err) => { await stop(); throw err; });
  // Keep draining output so the pipe never fills up.
  child.stdout.on('data', () => {});
  child.stderr.on('data', () => {});
  return { url, pid: child.pid, stop };
}
