#!/usr/bin/env bash
# The Pulumi engine (CLI) at the version Prichal pins. Sourced by setup.sh; idempotent.
#   1. a `pulumi` on PATH that reports the pinned version is used as it is;
#   2. else the CLI built earlier into the cache outside the checkout is used (CI clones afresh,
#      so the cache lives where Go keeps its own: ~/.cache/prichal/pulumi-<version>/);
#   3. else it is built from the wrapper module in engine/ (go.mod and go.sum pin the CLI and
#      every dependency) with upstream's flags. ../shared/goproxy, when present, mirrors the two
#      Pulumi modules and goes first in GOPROXY; every other module comes from the machine's proxy.
# An operator on an isolated network points GOPROXY at an internal mirror instead, or puts a
# pulumi binary of this version on PATH (see docs/engine.md, "Installing the engine").
set -euo pipefail
PULUMI_VERSION=$(sed -n 's/^require github.com\/pulumi\/pulumi\/pkg\/v3 \(v[0-9.]*\)$/\1/p' "$PRICHAL_ROOT/engine/go.mod")
PULUMI_CACHE=${PRICHAL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prichal}/pulumi-$PULUMI_VERSION
elog() { printf '[setup] %s\n' "$*" >&2; }

pulumi_on_path=$(command -v pulumi || true)
if [ -n "$pulumi_on_path" ] && [ "$("$pulumi_on_path" version 2>/dev/null)" = "$PULUMI_VERSION" ] \
   && [ "$pulumi_on_path" != "$PULUMI_CACHE/bin/pulumi" ]; then
  PRICHAL_PULUMI=$pulumi_on_path
elif [ -x "$PULUMI_CACHE/bin/pulumi" ]; then
  PRICHAL_PULUMI=$PULUMI_CACHE/bin/pulumi
else
  command -v go >/dev/null || { elog "Go is needed to build the Pulumi CLI $PULUMI_VERSION (or put that pulumi on PATH)"; exit 1; }
  elog "building the Pulumi CLI $PULUMI_VERSION into $PULUMI_CACHE (about 4–6 minutes the first time on 2 cores)"
  started=$(date +%s)
  goproxy=$(go env GOPROXY)
  mirror="$PRICHAL_ROOT/../shared/goproxy"
  [ -d "$mirror" ] && goproxy="file://$(cd "$mirror" && pwd),$goproxy"
  mkdir -p "$PULUMI_CACHE/bin"
  (cd "$PRICHAL_ROOT/engine" && GOPROXY=$goproxy GOFLAGS=-mod=readonly CGO_ENABLED=0 \
    go build -trimpath -o "$PULUMI_CACHE/bin/pulumi.partial" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$PULUMI_CACHE/bin/pulumi.partial" "$PULUMI_CACHE/bin/pulumi"
  elog "Pulumi CLI built in $(( $(date +%s) - started )) s"
  PRICHAL_PULUMI=$PULUMI_CACHE/bin/pulumi
fi
export PRICHAL_PULUMI
export PATH="$(dirname "$PRICHAL_PULUMI"):$PATH"
# No update checks, no Pulumi Cloud: the backend is always self-managed (see src/engine).
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=false
