// An environment for nested installs that carries nothing a parent npm exported.
// Dependency-free (node built-ins only): scripts/ensure-deps.mjs imports it before npm ci.
//
// Why: `npm test` and `npm start` run their pre-scripts under npm, which exports its own runtime
// facts (npm_config_user_agent with the outer Node version, npm_config_node_gyp, npm_execpath,
// npm_lifecycle_*, npm_package_*, NODE, INIT_CWD) and prepends node_modules/.bin and its node-gyp
// shim to PATH. A nested `npm install` of code-server under Node 24 then believes it runs under
// Node 20 and refuses (its postinstall reads the user agent), or builds native modules with the
// wrong node-gyp. Network settings the user chose (registry, proxy, CA) are kept: they describe
// the machine, not the parent process.
import { delimiter, sep } from 'node:path';

/** npm_config_* names that describe how this machine reaches the registry: kept. */
const KEEP_NPM_CONFIG = new Set([
  'npm_config_registry', 'npm_config_cafile', 'npm_config_ca', 'npm_config_strict_ssl',
  'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_http_proxy', 'npm_config_noproxy',
  'npm_config_cert', 'npm_config_key', 'npm_config_cache',
]);

/** Variables a parent npm (or npx) sets for its child scripts. */
const NPM_RUNTIME = new Set(['INIT_CWD', 'NODE', 'npm_execpath', 'npm_node_execpath', 'npm_command', 'COLOR']);

/** PATH entries npm prepends for scripts: node_modules/.bin folders and its node-gyp shim. */
function isNpmPathEntry(dir) {
  const d = dir.replace(/[\\/]+$/, '');
  return d.endsWith(`${sep}node_modules${sep}.bin`) || d.endsWith('/node_modules/.bin')
    || /[\\/]@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin$/.test(d);
}

/**
 * A copy of env without what a parent npm leaked (see the header).
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ env: NodeJS.ProcessEnv, removed: string[] }}
 */
export function cleanNpmEnv(env = process.env) {
  const out = {};
  const removed = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const leaked = NPM_RUNTIME.has(name)
      || lower.startsWith('npm_lifecycle_') || lower.startsWith('npm_package_')
      || (lower.startsWith('npm_config_') && !KEEP_NPM_CONFIG.has(lower));
    if (leaked) { removed.push(name); continue; }
    out[name] = value;
  }
  const pathKey = Object.keys(out).find((k) => k.toUpperCase() === 'PATH');
  if (pathKey) {
    const parts = out[pathKey].split(delimiter);
    const kept = parts.filter((p) => !isNpmPathEntry(p));
    if (kept.length !== parts.length) removed.push(`${pathKey} (${parts.length - kept.length} npm entries)`);
    out[pathKey] = kept.join(delimiter);
  }
  return { env: out, removed };
}
