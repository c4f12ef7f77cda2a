#!/usr/bin/env bash
# Like 'sam local invoke -e', against a real database: one Lambda event JSON file through the real handler.
# Usage: scripts/invoke-local.sh --event FILE --jdbc-url URL [--db-user USER] [--db-password PASSWORD]
#          [--hmac-secret-file FILE] [--mapping FILE] [--ttl-deletes MODE] [--timeout SECONDS] [--migrate] [--verbose]
#          [--dry-run]
#          [--help] [--version]
# Exit codes: 0 committed, 1 the handler reported the batch for retry, 2 bad option/file/event/URL,
# 3 database unreachable or login refused, 70 bug. Builds the local-runtime module once if needed
# (./mvnw), then runs it; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.InvokeLocal "$@"
