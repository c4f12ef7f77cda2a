#!/usr/bin/env bash
# The PII scanner: searches every text-like, array, JSON, network and temporal column of the
# warehouse's schemas for e-mail addresses, IBANs, card numbers, phone numbers, IP addresses and
# the identifying values of items sampled from the source table. Prints counts, never a value.
# Usage: scripts/leak-scan.sh --jdbc-url URL [--db-user U] [--db-password-file F] [--values-file F]
#   [--source-table T --sample N] [--mapping F] [--hmac-secret-file F] [--schemas S1,S2]
#   [--dynamodb-endpoint URL] [--verbose] [--dry-run] [--help]
# Exit codes: 0 clean, 1 findings, 2 bad arguments, 3 cannot connect (database or DynamoDB).
# Builds the local-runtime module once if needed.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.LeakScan "$@"
