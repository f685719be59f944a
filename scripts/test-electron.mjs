#!/usr/bin/env node
// `npm run test:electron`: the same integration tests as the `editor` stage of `npm test`, but in
// desktop VS Code downloaded by @vscode/test-electron. NEEDS INTERNET (update.code.visualstudio.com)
// and, on a headless Linux box, a display (e.g. `xvfb-run -a npm run test:electron`). Not run in
// CI, which is offline and uses code-server instead (scripts/test.mjs).
//
//   env: NT_VSCODE_VERSION (default "stable"; e.g. 1.139.1), NT_VSCODE_EXECUTABLE (use a local
//        VS Code instead of downloading), NT_TEST_GREP
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIntegrationTests } from './lib/buildTests.mjs';
import { fakeServerAvailable, startFakeServer } from './lib/fakeServer.mjs';
import { REPO_ROOT } from './lib/tools.mjs';

const say = (m) => console.log(`[test-electron] ${m}`);
let fake;
let exitCode = 1;
try {
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const bundle = await buildIntegrationTests();
  say(`bundled ${bundle.tests.length} integration test file(s)`);

  const base = join(REPO_ROOT, '.nt-run', 'electron');
  rmSync(base, { recursive: true, force: true });
  const userData = join(base, 'user-data');
  const extensions = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  const resultFile = join(base, 'integration-result.json');
  for (const d of [join(userData, 'User'), extensions, workspace]) mkdirSync(d, { recursive: true });

  const settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
  };
  const env = { NT_TEST_RESULT: resultFile };
  if (process.env.NT_TEST_GREP) env.NT_TEST_GREP = process.env.NT_TEST_GREP;
  if (fakeServerAvailable()) {
    fake = await startFakeServer({ timeoutMs: 30_000, args: ['--max-lifetime-sec', '3600'] });
    settings['neuralTerminal.baseUrl'] = fake.url;
    env.NT_FAKE_OPENROUTER_URL = fake.url;
  }
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const { runTests } = await import('@vscode/test-electron');
  const options = {
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: bundle.entry,
    extensionTestsEnv: env,
    launchArgs: [
      workspace,
      '--disable-workspace-trust',
      '--disable-extensions',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${userData}`,
      `--extensions-dir=${extensions}`,
    ],
  };
  if (process.env.NT_VSCODE_EXECUTABLE) options.vscodeExecutablePath = process.env.NT_VSCODE_EXECUTABLE;
  else options.version = process.env.NT_VSCODE_VERSION || 'stable';
  let runError;
  try {
    await runTests(options);
  } catch (err) {
    runError = err;
  }
  // As in code-server, trust the result file written by the test entry, not the exit code alone.
  const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
  if (!result) {
    say(`no result file (${runError ? `runTests failed: ${runError.message ?? runError}` : 'the tests never reported'})`);
    console.log('0 passed, 1 failed');
  } else {
    for (const t of result.tests.filter((x) => x.state === 'failed')) say(`✘ ${t.title}\n${t.error}`);
    console.log(`${result.passed} passed, ${result.failed} failed`);
    exitCode = result.failed > 0 || result.crash ? 1 : 0;
  }
} catch (err) {
  console.error(`[test-electron] ${err?.stack ?? err}`);
  console.log('0 passed, 1 failed');
} finally {
  await fake?.stop();
}
process.exit(exitCode);
