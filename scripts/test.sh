#!/usr/bin/env bash
# The README's test command: installs what is missing (idempotent), builds, and runs the whole
# suite, unit and integration tests alike. Extra arguments go to vitest.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
cd "$PRICHAL_ROOT"
exec vitest run "$@"
