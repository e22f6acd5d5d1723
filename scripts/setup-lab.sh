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
#
# A killed dockerd's pid files would stop the next start (scripts/pidfile.sh says why).
. "$PRICHAL_ROOT/scripts/pidfile.sh"
DOCKER_PID=/var/run/docker.pid
if ! docker info >/dev/null 2>&1; then
  if running "$(cat "$DOCKER_PID" 2>/dev/null)" dockerd; then
    log "waiting for the dockerd already running (pid $(cat "$DOCKER_PID"))"
  else
    drop_stale_pidfile "$DOCKER_PID" dockerd log
    # Its containerd too: dockerd would adopt, and later kill, the process holding that number.
    drop_stale_pidfile /var/run/docker/containerd/containerd.pid containerd log
    log "starting dockerd"
    started=$(without_inherited_fds setsid sh -c 'dockerd >"$1" 2>&1 & echo $!' sh "$state/dockerd.log")
  fi
  # Restoring a killed daemon's containers can take a while; two minutes is generous.
  for _ in $(seq 1 240); do
    docker info >/dev/null 2>&1 && break
    # A daemon that exited has said why in its log: no point waiting out the two minutes.
    [ -n "${started:-}" ] && ! running "$started" dockerd && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not start; the end of $state/dockerd.log:"
    tail -n 20 "$state/dockerd.log" >&2 || true
    exit 1
  fi
fi
