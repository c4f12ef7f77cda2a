#!/usr/bin/env bash
# Checks a mapping document with the function's own parser, so a document that would fail every
# cold start never reaches SSM (one-time-setup.sh runs it before any AWS call).
# Usage: scripts/mapping.sh validate FILE [--sample ITEMS] [--strict] [--verbose] [--help]
# Exit codes: 0 valid (sample warnings included), 1 sample warnings under --strict,
# 2 invalid document, unreadable file or bad flag. Builds the local-runtime module once if needed.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
local_runtime_run dev.ddbwarehouse.local.cli.MappingCheck "$@"
