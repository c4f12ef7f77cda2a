#!/usr/bin/env bash
# Like 'sam local invoke -e', against a real database: one Lambda event JSON file through the real handler.
# Usage: scripts/invoke-local.sh --event FILE --jdbc-url URL [--hmac-secret-file FILE] [--mapping FILE] [--migrate] [--dry-run] [--help]
# Builds the local-runtime module once if needed (./mvnw), then runs it; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.InvokeLocal "$@"
