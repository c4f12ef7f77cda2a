#!/usr/bin/env bash
# The whole pipeline on this machine: DynamoDB Local -> Lambda-like stream poller -> real handler -> embedded PostgreSQL, with a report.
# Usage: scripts/run-local.sh [--items N] [--preexisting N] [--seed N] [--batch-size N] [--jdbc-url URL] [--export-source FILE] [--serve [--rate N/s]] [--dry-run] [--help]
# Builds the local-runtime and backfill modules once if needed (./mvnw), then runs it; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.RunLocal "$@"
