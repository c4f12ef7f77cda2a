#!/usr/bin/env bash
# The whole pipeline on this machine: DynamoDB Local -> Lambda-like stream poller -> real handler -> embedded PostgreSQL, with a report.
# Usage: scripts/run-local.sh [--items N] [--updates N] [--deletes N] [--preexisting N] [--seed N]
#          [--batch-size N] [--batch-window-ms MS] [--max-retries N]
#          [--jdbc-url URL [--db-user USER] [--db-password-file FILE]] [--hmac-secret-file FILE] [--mapping FILE]
#          [--export-source FILE] [--serve [--rate N/s]] [--verbose] [--dry-run] [--help] [--version]
# Exit codes: 0 done, 2 bad option or file, 3 --jdbc-url database unreachable or login refused, 70 bug, 130 Ctrl-C.
# Builds the local-runtime and backfill modules once if needed (./mvnw), then runs it; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.RunLocal "$@"
