// The set-up scripts give nested installs a clean environment and explain their failures.
// Real processes: bash runs scripts/setup-tools.sh with the variables a parent npm exports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanNpmEnv } from '../../../scripts/lib/cleanEnv.mjs';
import { explainNpmFailure } from '../../../scripts/lib/setupFailure.mjs';
import { REPO_ROOT, SETUP_SCRIPT } from '../../../scripts/lib/tools.mjs';

/** What `npm test` exports to its pre-script (recorded from npm 11 under Node 20). */
const PARENT_NPM: Record<string, string> = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_nodedir: '/usr',
  npm_config_prefix: '/usr',
  npm_config_local_prefix: REPO_ROOT,
  npm_config_registry: 'http://127.0.0.1:4873/',
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  npm_lifecycle_event: 'pretest',
  npm_lifecycle_script: 'node scripts/ensure-deps.mjs --tools',
  npm_package_name: 'neural-terminal',
  npm_package_version: '0.1.0',
  npm_package_json: join(REPO_ROOT, 'package.json'),
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_command: 'test',
  INIT_CWD: REPO_ROOT,
  NODE: '/usr/bin/node',
  NODE_OPTIONS: '--max-old-space-size=64',
};
const NPM_PATH = [
  join(REPO_ROOT, 'node_modules', '.bin'),
  '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
].join(':');

function leakedNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter((k) => /^npm_(config_(?!registry$|cafile$)|lifecycle_|package_)|^npm_(execpath|node_execpath|command)$|^(INIT_CWD|NODE)$/i.test(k));
}

describe('set-up scripts: environment of nested installs', () => {
  it('cleanNpmEnv drops what a parent npm exported and keeps the machine registry and CA', () => {
    const { env, removed } = cleanNpmEnv({ ...PARENT_NPM, PATH: `${NPM_PATH}:/usr/bin:/bin`, HOME: '/root' });
    assert.deepEqual(leakedNames(env), []);
    assert.equal(env.npm_config_registry, 'http://127.0.0.1:4873/');
    assert.equal(env.npm_config_cafile, '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(env.PATH, '/usr/bin:/bin');
    assert.equal(env.HOME, '/root');
    assert.ok(removed.includes('npm_config_user_agent'));
  });

  it('setup-tools.sh scrubs the same variables itself when a parent npm runs it', () => {
    const r = spawnSync('bash', [SETUP_SCRIPT, '--print-env'], {
      env: { ...PARENT_NPM, PATH: `${NPM_PATH}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: process.env.HOME ?? '/root' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const env = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.deepEqual(leakedNames(env), []);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.equal(env.npm_config_registry, 'http://127.0.0.1:4873/');
    assert.ok(!String(env.PATH).split(':').some((p) => p.endsWith('node_modules/.bin') || p.endsWith('node-gyp-bin')), env.PATH);
  });
});

describe('set-up scripts: a failed step is explained in a few lines', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'nt-setup-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('setup-tools.sh names the step and the cause when the tool cache cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = spawnSync('bash', [SETUP_SCRIPT], { env: { ...process.env, NT_TOOLS_DIR: join(blocker, 'tools') }, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FAILED step: create the tool cache folder/);
    assert.match(r.stderr, /likely cause: /);
    assert.ok(r.stderr.split('\n').length < 12, `too long:\n${r.stderr}`);
  });

  it('names the likely cause of typical npm failures', () => {
    assert.match(explainNpmFailure('npm error code ENOTFOUND\nnpm error network request failed').cause, /registry could not be reached/);
    assert.match(explainNpmFailure('npm error code ENOSPC\nnpm error nospc').cause, /disk is full/);
    assert.match(explainNpmFailure('ERROR: code-server currently requires node v24.').cause, /Node version/);
    assert.match(explainNpmFailure('gyp ERR! build error\nmake: *** [x] Error 1').cause, /native module/);
    assert.match(explainNpmFailure('something odd').cause, /not recognised/);
  });

  it('shows at most four error lines, never the whole output', () => {
    const text = Array.from({ length: 500 }, (_, i) => `npm error line ${i}`).join('\n');
    const { lines } = explainNpmFailure(text);
    assert.equal(lines.length, 4);
    assert.equal(lines[3], 'npm error line 499');
  });
});
