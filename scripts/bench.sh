#!/usr/bin/env bash
# Performance figures measured side by side: pipeline vs raw COPY, batch latency, peak heap, cold start.
# Usage: scripts/bench.sh [--records N] [--cold-start-runs N] [--jdbc-url URL] [--dry-run] [--help]
# Builds the local-runtime module once if needed (./mvnw), then runs it; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.Bench "$@"
