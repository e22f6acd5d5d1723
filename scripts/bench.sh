#!/usr/bin/env bash
# npm run bench: every benchmark of the project, each printing ratios against a baseline
# measured in the same run. The firewall benchmark needs the lab and starts it.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$(dirname "$0")/setup-lab.sh"
cd "$PRICHAL_ROOT"
echo "== validation"
node dist/bench/validate.bench.js
echo "== edge firewall"
bin/prichal-lab up >/dev/null
node --expose-gc dist/bench/firewall.bench.js
echo "== drift"
node dist/bench/drift.bench.js
echo "== Pulumi program under mocks"
node dist/bench/pulumi.bench.js 1000 pulumi
node dist/bench/pulumi.bench.js 10000 pulumi
node dist/bench/pulumi.bench.js 10000 external
echo "== Pulumi engine, real, on the lab"
node dist/bench/engine.bench.js
echo "== Pulumi engine at scale, on the lab: 1,000 participants, then 10,000"
BENCH_ENGINE_PARTICIPANTS=1000 node dist/bench/engine-scale.bench.js
BENCH_ENGINE_PARTICIPANTS=10000 node dist/bench/engine-scale.bench.js
echo "== gateways through the engine on the lab's two Docker hosts: 200 participants × 2 contours"
node dist/bench/gateways.bench.js
echo "== the channel: 5,000 leased lines on one lab edge"
node dist/bench/channel.bench.js
echo "== the hub's ViPNet coordinator: 10,000 participant nodes read, parsed and checked"
node dist/bench/vipnet.bench.js
