/**
 * Test entry loaded by the REAL extension host (code-server or @vscode/test-electron) through
 * `extensionTestsPath`. Runs mocha programmatically over the bundled `*.test.js` files next to
 * this bundle (scripts/lib/buildTests.mjs builds each `test/integration/*.test.ts` separately into
 * `out/test/integration/`), prints a spec report, and writes a result JSON atomically to
 * `process.env.NT_TEST_RESULT` (set by the harness on the code-server process, inherited by the
 * extension host) or, when that is unset, to `result.json` next to this bundle.
 * The workbench reports exit code 0 even when the extension host crashed, so the harness trusts
 * only this file: no file = failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Prefix of the lines the harness echoes (the workbench forwards all extension-host console output). */
export const OUTPUT_TAG = '[nt-test] ';
const out = (...args: unknown[]): void => console.log(OUTPUT_TAG + format(...args));

export interface IntegrationResult {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }[];
  /** Set when mocha could not even load/run the files. */
  crash?: string;
  /** Only in the `.partial` progress file: the test that was running. */
  running?: string;
}

export function resultPath(): string {
  return process.env.NT_TEST_RESULT || path.join(__dirname, 'result.json');
}

function writeResult(result: IntegrationResult, target = resultPath()): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, target);
}

export async function run(): Promise<void> {
  const started = Date.now();
  const result: IntegrationResult = { passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [] };
  const grep = process.env.NT_TEST_GREP;
  // Reporter output goes through Base.consoleLog; tag it so the harness can tell it apart.
  (Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog = out;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.NT_TEST_TIMEOUT_MS) || 30_000,
    ...(grep ? { grep } : {}),
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  try {
    if (files.length === 0) throw new Error(`no *.test.js files next to ${__filename}`);
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        // Progress file: if a test hangs or the host dies, the harness still knows what passed
        // and which test was running.
        const progress = (): void => {
          try {
            writeResult({ ...result, durationMs: Date.now() - started }, `${resultPath()}.partial`);
          } catch {
            /* best effort */
          }
        };
        runner.on('test', (t) => {
          result.running = t.fullTitle();
          progress();
        });
        runner.on('test end', () => {
          delete result.running;
          progress();
        });
        runner.on('pass', (t) => {
          result.passed++;
          result.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
        });
        runner.on('fail', (t, err: Error) => {
          result.failed++;
          result.tests.push({
            title: t.fullTitle(),
            state: 'failed',
            error: String(err?.stack ?? err).slice(0, 4000),
          });
        });
        runner.on('pending', (t) => {
          result.pending++;
          result.tests.push({ title: t.fullTitle(), state: 'pending' });
        });
      } catch (err) {
        reject(err);
      }
    });
  } catch (err) {
    result.crash = String((err as Error)?.stack ?? err);
    result.failed++;
    out(`mocha crashed: ${result.crash}`);
  }
  result.durationMs = Date.now() - started;
  writeResult(result);
  out(`${result.passed} passed, ${result.failed} failed, ${result.pending} pending -> ${resultPath()}`);
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
