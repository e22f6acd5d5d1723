#!/usr/bin/env bash
# Idempotent host setup for the lab: Debian packages for the Docker engine, debootstrap and
# nftables (for `nft -c` checks), then dockerd started in the background when it is not
# running (these machines have no systemd). Sourced by the test and main-job scripts.
set -euo pipefail
PRICHAL_ROOT=${PRICHAL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
log() { printf '[setup-lab] %s\n' "$*" >&2; }

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v nft >/dev/null || need+=(nftables)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
# Headless Chromium for the report tests (what a security officer sees) and PDF documents.
command -v chromium >/dev/null || need+=(chromium)
# promtool (Debian's prometheus package) checks the nightly metrics file in the tests.
command -v promtool >/dev/null || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

state="$PRICHAL_ROOT/.state"
mkdir -p "$state"
# The engine is the one from Debian's docker.io (the machine's docker CLI may be newer; both
# speak the same API). Started once, shared by every run on this machine.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  (setsid dockerd >"$state/dockerd.log" 2>&1 &)
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see $state/dockerd.log"; exit 1; }
fi
