#!/usr/bin/env bash
# Data subject requests against the warehouse: forget (erase the subject's rows) or export them.
# With --stage it invokes the stage's deployed erasure function; without, it runs the same
# request locally (dev.ddbwarehouse.local.cli.Gdpr) against --jdbc-url.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gdpr.sh COMMAND [options]

Finds the warehouse rows of one data subject by the pseudonyms of a raw identifying value (the
value the source tables held, e.g. an e-mail address) and forgets or exports them.

Commands:
  forget   erase the subject's rows (or, with --dry-run, only count them)
    forget --namespace NS --value V|--value-file F --request-id ID
           (--jdbc-url URL [--db-user U] [--hmac-secret-file F] [--mapping F] | --stage S)
           [--dry-run]
  export   print the subject's rows, one JSON object a line
    export --namespace NS --value V|--value-file F [--request-id ID]
           (--jdbc-url URL [--db-user U] [--hmac-secret-file F] [--mapping F] | --stage S)
           [--output F]
  k-anonymity  per table, the live rows its quasi-identifiers single out: counts only, never a
               value; exit 1 when a class has fewer than K rows (k-anonymity --help for more)
    k-anonymity --jdbc-url URL [--db-user U] [--db-password-file F] [--k 5] [--table T]
                [--mapping F]

Options:
  --namespace NS          the pseudonymisation namespace of the value (as in the mapping
                          document, [a-z0-9_.-]{1,32})
  --value-file F          read the raw value from file F, or from stdin with "-"; trailing
                          newlines are removed. Recommended: the value then appears in no process's
                          arguments (which ps, shell history and audit logs show to others)
  --value V               the raw value on the command line; allowed, but see --value-file
  --request-id ID         the request's reference ([A-Za-z0-9._:-]{1,128}), e.g. the ticket of
                          the erasure request; required for forget, generated for export
  --stage S               invoke the erasure function of the deployed stack ddb-warehouse-S
  --region R              AWS region with --stage (default: AWS_REGION of deploy/S.env if it
                          exists, else the AWS CLI's own)
  --jdbc-url URL          run locally against this warehouse (with --db-user, --hmac-secret-file,
                          --mapping: see the local CLI's help)
  --dry-run               forget: count the rows that would be erased, erase nothing
  --output F              export: write the rows to F (mode 600) instead of stdout
  -h, --help              show this help

Output of forget: one line per table, then a summary:
  table=<name> rows=<n>
  SUMMARY request=<id> namespace=<ns> tables=<k> rows=<total> dry_run=<true|false>

Exit codes: 0 done, 1 the function (or the local run) reported an error, 2 bad arguments,
3 the function or the database cannot be reached.

Needs: with --stage, aws and jq; without, a JDK >= 21 (the local-runtime module is built once).
EOF
}

# Exit codes of this script and of the local CLI it runs.
readonly EXIT_FAILED=1 EXIT_USAGE=2 EXIT_UNREACHABLE=3
readonly NAMESPACE_PATTERN='^[a-z0-9_.-]{1,32}$'
readonly REQUEST_ID_PATTERN='^[A-Za-z0-9._:-]{1,128}$'

# One plain line, no stack trace: a caller tells the cases apart by the exit code.
usage_error() {
  printf 'error: %s (see --help)\n' "$*" >&2
  exit "$EXIT_USAGE"
}

fail() {
  local code="$1"
  shift
  printf 'error: %s\n' "$*" >&2
  exit "$code"
}

flag_value() {
  [[ $# -gt 1 && "$2" != --* ]] || usage_error "flag $1 needs a value"
}

# The local Java CLI with the arguments exactly as given (--dry-run included: not
# local_runtime_run, which takes --dry-run as its own).
run_local() {
  # shellcheck source=scripts/lib/local-runtime.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"
  local_runtime_build
  local_runtime_command dev.ddbwarehouse.local.cli.Gdpr "$@"
  exec "${LOCAL_RUNTIME_CMD[@]}"
}

has_flag() {
  local flag="$1" arg
  shift
  for arg in "$@"; do [[ "$arg" == "$flag" ]] && return 0; done
  return 1
}

command_name="${1:-}"
case "$command_name" in
  forget | export) shift ;;
  # Key lifecycle: locally against a key file; with --stage through the stack's secret.
  rotate-key | retire-key | key-status)
    if has_flag --stage "$@"; then
      # shellcheck source=scripts/lib/gdpr-keys.sh
      source "$(dirname "${BASH_SOURCE[0]}")/lib/gdpr-keys.sh"
      stage_key_command "$@"
      exit $?
    fi
    run_local "$@" ;;
  # Privacy checks read the warehouse only: always the local CLI.
  k-anonymity) run_local "$@" ;;
  -h | --help) usage; exit 0 ;;
  "") usage_error "missing COMMAND (forget, export, rotate-key, retire-key, key-status or k-anonymity)" ;;
  *) usage_error "unknown command '$command_name' (forget, export, rotate-key, retire-key, key-status or k-anonymity)" ;;
esac

# Parsed in both modes, so a mistake gets the same exit code and message with or without --stage;
# the local CLI gets the arguments exactly as given.
namespace="" value="" value_file="" has_value=0 request_id="" stage="" region="" output=""
dry_run=false local_flag=""
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) flag_value "$@"; namespace="$2"; shift 2 ;;
    # The value's own flag takes anything, a leading "--" included: it is the subject's data.
    --value) [[ $# -gt 1 ]] || usage_error "flag --value needs a value"; value="$2"; has_value=$((has_value + 1)); shift 2 ;;
    --value-file) [[ $# -gt 1 ]] || usage_error "flag --value-file needs a value"; value_file="$2"; has_value=$((has_value + 1)); shift 2 ;;
    --request-id) flag_value "$@"; request_id="$2"; shift 2 ;;
    --stage) flag_value "$@"; stage="$2"; shift 2 ;;
    --region) flag_value "$@"; region="$2"; shift 2 ;;
    --jdbc-url | --db-user | --db-password-file | --hmac-secret-file | --mapping) flag_value "$@"; local_flag="$1"; shift 2 ;;
    --output) flag_value "$@"; output="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

[[ -n "$namespace" ]] || usage_error "missing required flag --namespace"
[[ "$namespace" =~ $NAMESPACE_PATTERN ]] || usage_error "--namespace must match [a-z0-9_.-]{1,32}"
[[ "$has_value" -eq 1 ]] || usage_error "give the value once, with --value-file F (or - for stdin) or --value V"
if [[ -n "$request_id" ]]; then
  [[ "$request_id" =~ $REQUEST_ID_PATTERN ]] || usage_error "--request-id must match [A-Za-z0-9._:-]{1,128}"
elif [[ "$command_name" == forget ]]; then
  usage_error "missing required flag --request-id (forget is recorded under it)"
fi
if [[ "$command_name" == forget && -n "$output" ]]; then
  usage_error "--output is for export"
fi
if [[ "$command_name" == export && "$dry_run" == true ]]; then
  usage_error "--dry-run is for forget; export changes nothing"
fi

if [[ -z "$stage" ]]; then
  [[ -n "$local_flag" ]] || usage_error "give --stage S (the deployed function) or --jdbc-url URL (a local run)"
  [[ -z "$region" ]] || usage_error "--region goes with --stage"
  run_local "$command_name" "${args[@]}"
fi

[[ -z "$local_flag" ]] || usage_error "$local_flag is for a local run; --stage invokes the deployed function"
[[ "$stage" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must match ^[a-z][a-z0-9-]{0,19}\$"
for tool in aws jq; do
  command -v "$tool" >/dev/null 2>&1 || fail "$EXIT_FAILED" "required tool '$tool' not found on PATH; install it and retry"
done

# Everything this script writes (the request with the raw value, the response with the subject's
# rows, an --output file) is readable by the caller only; the temporary files go on any exit.
umask 077
tmp_dir="$(mktemp -d)"
trap 'rm -rf "$tmp_dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "$value_file" ]]; then
  if [[ "$value_file" == - ]]; then
    value="$(cat)"
  else
    [[ -f "$value_file" && -r "$value_file" ]] || usage_error "--value-file $value_file not found or not readable"
    value="$(<"$value_file")"
  fi
fi
[[ -n "$value" ]] || usage_error "the value is empty"

if [[ -z "$request_id" ]]; then
  TZ=UTC printf -v request_id 'export-%(%Y%m%dT%H%M%SZ)T-%04x%04x' -1 "$RANDOM" "$RANDOM"
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "$region" && -r "$repo_root/deploy/$stage.env" ]]; then
  region="$(sed -n 's/^AWS_REGION=//p' "$repo_root/deploy/$stage.env")"
fi
region_args=()
[[ -n "$region" ]] && region_args=(--region "$region")
stack="ddb-warehouse-$stage"

# The first line of an AWS CLI error: enough to tell a missing stack from a missing network.
first_line() {
  local text="$1"
  text="${text#"${text%%[![:space:]]*}"}"
  printf '%s' "${text%%$'\n'*}"
}

if ! function_name="$(aws cloudformation describe-stacks --stack-name "$stack" "${region_args[@]}" \
  --query "Stacks[0].Outputs[?OutputKey=='ErasureFunctionName'].OutputValue" --output text \
  2>"$tmp_dir/aws.err")"; then
  fail "$EXIT_UNREACHABLE" "cannot read stack $stack: $(first_line "$(<"$tmp_dir/aws.err")")"
fi
function_name="$(first_line "$function_name")"
if [[ -z "$function_name" || "$function_name" == None ]]; then
  fail "$EXIT_UNREACHABLE" "stack $stack has no output ErasureFunctionName: deploy a version with the erasure function"
fi

# The value reaches jq on stdin (printf is a builtin), never as an argument; the JSON goes to a
# file that the CLI reads as fileb://.
request="$tmp_dir/request.json"
response="$tmp_dir/response.json"
printf '%s' "$value" | jq -Rsc --arg requestId "$request_id" --arg namespace "$namespace" \
  --arg action "$command_name" --argjson dryRun "$dry_run" \
  '{requestId: $requestId, namespace: $namespace, value: ., action: $action, dryRun: $dryRun}' \
  >"$request"
value=""

invoke=(aws lambda invoke --function-name "$function_name" "${region_args[@]}"
  --cli-binary-format raw-in-base64-out --payload "fileb://$request" --output json "$response")
# The trace, as the other scripts print theirs: the command holds file names, not the value.
printf -v trace ' %q' "${invoke[@]}"
printf '+%s\n' "$trace" >&2
if ! metadata="$("${invoke[@]}" 2>"$tmp_dir/aws.err")"; then
  fail "$EXIT_UNREACHABLE" "cannot invoke $function_name: $(first_line "$(<"$tmp_dir/aws.err")")"
fi
rm -f "$request"

# A function error (an exception, a timeout) still exits 0 from the CLI: it is in the metadata.
function_error="$(jq -r '.FunctionError // empty' <<<"$metadata" 2>/dev/null || true)"
if [[ -n "$function_error" ]]; then
  fail "$EXIT_FAILED" "$function_name failed ($function_error): $(jq -r '[.errorType // empty, .errorMessage // empty] | join(": ")' "$response" 2>/dev/null || true)"
fi
[[ -s "$response" ]] || fail "$EXIT_FAILED" "$function_name returned nothing"

if [[ "$command_name" == forget ]]; then
  jq -r --arg requestId "$request_id" --arg namespace "$namespace" --argjson dryRun "$dry_run" '
    (.rowsAffected | if type == "object" then . else error("no rowsAffected") end) as $rows
    | ($rows | keys[] | "table=\(.) rows=\($rows[.])"),
      "SUMMARY request=\(.requestId // $requestId) namespace=\($namespace) tables=\($rows | length) rows=\([$rows[]] | add // 0) dry_run=\(if has("dryRun") then .dryRun else $dryRun end)"
  ' "$response" 2>/dev/null || fail "$EXIT_FAILED" "$function_name answered without rowsAffected"
else
  jq -e '.rows | type == "array"' "$response" >/dev/null 2>&1 \
    || fail "$EXIT_FAILED" "$function_name answered without rows"
  if [[ -n "$output" ]]; then
    jq -c '.rows[]' "$response" >"$output"
    printf 'wrote %s rows to %s (request %s)\n' "$(jq '.rows | length' "$response")" "$output" \
      "$request_id" >&2
  else
    jq -c '.rows[]' "$response"
  fi
fi
