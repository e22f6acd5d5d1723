#!/usr/bin/env bash
# The README's test command: installs what is missing (idempotent), builds, starts the Docker
# engine for the lab and PostgreSQL for the team-state backend, and runs the whole suite — unit tests, then integration tests against the
# real lab (the suite's global setup starts it). Extra arguments go to vitest.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$(dirname "$0")/setup-lab.sh"
# PostgreSQL for the team-state tests (the engine's postgres:// backend).
. "$(dirname "$0")/setup-postgres.sh"
cd "$PRICHAL_ROOT"
tsc -p tsconfig.test.json
exec vitest run "$@"
