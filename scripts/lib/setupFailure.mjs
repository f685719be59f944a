// Turns a failed install's output into one likely cause and a few lines worth showing, so a
// newcomer reads three lines instead of a wall of npm output. Dependency-free (node built-ins).
// The same causes, in the same order, are named by scripts/setup-tools.sh for its own steps.

/** [pattern, cause], first match wins: the most specific causes come first. */
const CAUSES = [
  [/ENOSPC|No space left on device/i, 'the disk is full: free some space (node_modules needs about 400 MB)'],
  [/requires node v|EBADENGINE|Unsupported engine/i, 'the Node version does not fit: use Node 20 or newer (node -v), and check that NODE_OPTIONS and npm_config_* variables are not set'],
  [/ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network|Could not resolve/i, 'the package registry could not be reached (offline, a proxy or a firewall); the first install needs network access'],
  [/EACCES|EPERM|permission denied/i, 'permission denied: the checkout or the npm cache is not writable by this user'],
  [/gyp ERR|make: \*\*\*|node-gyp/i, 'a native module failed to build: make, g++ and python3 must be installed'],
  [/EINTEGRITY|integrity checksum failed/i, 'a cached package is corrupt: run `npm cache verify` and try again'],
  [/ERESOLVE|could not resolve dependency|lockfile/i, 'package.json and package-lock.json disagree: run `npm install` once to update the lockfile'],
];

/**
 * @param {string} text the failed command's combined output
 * @returns {{ cause: string, lines: string[] }} at most four error lines
 */
export function explainNpmFailure(text) {
  const found = CAUSES.find(([re]) => re.test(text));
  const lines = text.split(/\r?\n/)
    .filter((l) => /ERR!|error/i.test(l) && !/^npm warn/i.test(l))
    .map((l) => l.trim().slice(0, 200))
    .slice(-4);
  return { cause: found ? found[1] : 'not recognised; the last error lines of the log are below', lines };
}
