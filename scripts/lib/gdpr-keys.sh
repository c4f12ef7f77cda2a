# shellcheck shell=bash
# gdpr.sh rotate-key | retire-key | key-status --stage S: the key lifecycle of a deployed stack.
# The secret's JSON only ever sits in owner-only temporary files and pipes (file:// for the CLI,
# --rawfile for jq), never in a process's arguments; the row counts come from the stack's erasure
# function, which can read the warehouse but not change the secret.
# Sourced by gdpr.sh after its usage_error, fail and flag_value; EXIT_* are gdpr.sh's.

stage_key_command() {
  local command="$1" stage="" region="" version="" secret_id="" dry_run=false
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --stage) flag_value "$@"; stage="$2"; shift 2 ;;
      --region) flag_value "$@"; region="$2"; shift 2 ;;
      --secret-id) flag_value "$@"; secret_id="$2"; shift 2 ;;
      --version) [[ "$command" == retire-key ]] || usage_error "--version is for retire-key"
        flag_value "$@"; version="$2"; shift 2 ;;
      --dry-run) [[ "$command" != key-status ]] || usage_error "--dry-run is for rotate-key and retire-key"
        dry_run=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown argument '$1' (with --stage: --region, --secret-id, --version, --dry-run)" ;;
    esac
  done
  [[ "$stage" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must match ^[a-z][a-z0-9-]{0,19}\$"
  [[ "$command" != retire-key || -n "$version" ]] || usage_error "missing required flag --version"
  local tool
  for tool in aws jq; do
    command -v "$tool" >/dev/null 2>&1 || fail "$EXIT_FAILED" "required tool '$tool' not found on PATH; install it and retry"
  done

  umask 077
  KEYS_TMP="$(mktemp -d)"
  trap 'rm -rf "$KEYS_TMP"' EXIT
  local repo_root env_file
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  env_file="$repo_root/deploy/$stage.env"
  if [[ -z "$region" && -r "$env_file" ]]; then region="$(sed -n 's/^AWS_REGION=//p' "$env_file")"; fi
  if [[ -z "$secret_id" && -r "$env_file" ]]; then secret_id="$(sed -n 's/^HmacSecretArn=//p' "$env_file")"; fi
  secret_id="${secret_id:-ddb-warehouse/$stage/hmac-key}"
  KEYS_REGION_ARGS=()
  [[ -n "$region" ]] && KEYS_REGION_ARGS=(--region "$region")
  KEYS_STACK="ddb-warehouse-$stage"

  case "$command" in
    rotate-key) keys_rotate "$secret_id" "$dry_run" ;;
    key-status) keys_status ;;
    retire-key) keys_retire "$secret_id" "$version" "$dry_run" ;;
  esac
}

keys_first_line() {
  local text="$1"
  text="${text#"${text%%[![:space:]]*}"}"
  printf '%s' "${text%%$'\n'*}"
}

# The secret's current JSON into $KEYS_TMP/secret.json.
keys_read_secret() {
  if ! aws secretsmanager get-secret-value --secret-id "$1" "${KEYS_REGION_ARGS[@]}" \
    --query SecretString --output text >"$KEYS_TMP/secret.json" 2>"$KEYS_TMP/aws.err"; then
    fail "$EXIT_UNREACHABLE" "cannot read secret $1: $(keys_first_line "$(<"$KEYS_TMP/aws.err")")"
  fi
  jq -e '(.active | type == "string") and (.keys | type == "object")' "$KEYS_TMP/secret.json" >/dev/null 2>&1 \
    || fail "$EXIT_FAILED" "secret $1 is not a key ring {\"active\":..,\"keys\":{..}}"
}

keys_write_secret() {
  if ! aws secretsmanager put-secret-value --secret-id "$1" "${KEYS_REGION_ARGS[@]}" \
    --secret-string "file://$KEYS_TMP/new.json" >/dev/null 2>"$KEYS_TMP/aws.err"; then
    fail "$EXIT_UNREACHABLE" "cannot write secret $1: $(keys_first_line "$(<"$KEYS_TMP/aws.err")")"
  fi
}

# The suppression version: named, else the first version listed (see docs/erasure.md).
keys_suppression() {
  jq -r '.suppressionVersion // (.keys | keys_unsorted[0])' "$KEYS_TMP/secret.json"
}

keys_rotate() {
  local secret_id="$1" dry_run="$2" version suppression
  keys_read_secret "$secret_id"
  version="$(jq -r '([.keys | keys_unsorted[] | (capture("^v(?<n>[0-9]+)$") | .n | tonumber)?]
    + [(.keys | length)]) | "v\(max + 1)"' "$KEYS_TMP/secret.json")"
  suppression="$(keys_suppression)"
  head -c 32 /dev/urandom | base64 | tr -d '\n' >"$KEYS_TMP/key.b64"
  jq -c --arg v "$version" --arg s "$suppression" --rawfile k "$KEYS_TMP/key.b64" \
    '.keys[$v] = $k | .active = $v | .suppressionVersion = (.suppressionVersion // $s)' \
    "$KEYS_TMP/secret.json" >"$KEYS_TMP/new.json"
  if [[ "$dry_run" == false ]]; then keys_write_secret "$secret_id"; fi
  printf '%s: active=%s versions=%s suppression=%s\n' \
    "$([[ "$dry_run" == true ]] && echo "would rotate" || echo rotated)" "$version" \
    "$(jq -r '[.keys | keys[]] | join(",")' "$KEYS_TMP/new.json")" "$suppression"
  echo "note: running execution environments pick the key up at their next refresh (SECRETS_REFRESH_SECONDS) or restore; re-key history with scripts/backfill.sh copy" >&2
}

# Invokes the erasure function with the JSON in $KEYS_TMP/request.json; the answer in response.json.
keys_invoke() {
  local function_name
  if ! function_name="$(aws cloudformation describe-stacks --stack-name "$KEYS_STACK" "${KEYS_REGION_ARGS[@]}" \
    --query "Stacks[0].Outputs[?OutputKey=='ErasureFunctionName'].OutputValue" --output text \
    2>"$KEYS_TMP/aws.err")"; then
    fail "$EXIT_UNREACHABLE" "cannot read stack $KEYS_STACK: $(keys_first_line "$(<"$KEYS_TMP/aws.err")")"
  fi
  function_name="$(keys_first_line "$function_name")"
  [[ -n "$function_name" && "$function_name" != None ]] \
    || fail "$EXIT_UNREACHABLE" "stack $KEYS_STACK has no output ErasureFunctionName"
  local metadata
  if ! metadata="$(aws lambda invoke --function-name "$function_name" "${KEYS_REGION_ARGS[@]}" \
    --cli-binary-format raw-in-base64-out --payload "fileb://$KEYS_TMP/request.json" --output json \
    "$KEYS_TMP/response.json" 2>"$KEYS_TMP/aws.err")"; then
    fail "$EXIT_UNREACHABLE" "cannot invoke $function_name: $(keys_first_line "$(<"$KEYS_TMP/aws.err")")"
  fi
  if [[ -n "$(jq -r '.FunctionError // empty' <<<"$metadata" 2>/dev/null || true)" ]]; then
    fail "$EXIT_FAILED" "$function_name refused: $(jq -r '.errorMessage // empty' "$KEYS_TMP/response.json" 2>/dev/null || true)"
  fi
}

keys_status() {
  printf '{"action":"key-status"}' >"$KEYS_TMP/request.json"
  keys_invoke
  jq -r '.counts[] | "table=\(.table) key_version=\(.keyVersion // "none") live=\(.live) deleted=\(.deleted)"' \
    "$KEYS_TMP/response.json" || fail "$EXIT_FAILED" "the function answered without counts"
}

keys_retire() {
  local secret_id="$1" version="$2" dry_run="$3" active suppression successor="" live uncovered
  keys_read_secret "$secret_id"
  jq -e --arg v "$version" '.keys | has($v)' "$KEYS_TMP/secret.json" >/dev/null \
    || usage_error "key version $version is not in the ring"
  active="$(jq -r .active "$KEYS_TMP/secret.json")"
  [[ "$version" != "$active" ]] || usage_error "key version $version is the active one: rotate to a new version first"
  suppression="$(keys_suppression)"
  [[ "$version" == "$suppression" ]] && successor="$active"
  jq -nc --arg c "$successor" '{action: "key-status"} + (if $c == "" then {} else {coverage: $c} end)' \
    >"$KEYS_TMP/request.json"
  keys_invoke
  live="$(jq --arg v "$version" '[.counts[] | select(.keyVersion == $v) | .live] | add // 0' "$KEYS_TMP/response.json")"
  if [[ "$live" -gt 0 ]]; then
    fail "$EXIT_FAILED" "$live live rows still carry key version $version: re-key them first (a backfill copy through the shadow tables)"
  fi
  if [[ -n "$successor" ]]; then
    uncovered="$(jq '.erasuresNotCovering // 0' "$KEYS_TMP/response.json")"
    if [[ "$uncovered" -gt 0 ]]; then
      fail "$EXIT_FAILED" "$uncovered erasures were carried out before key version $successor existed: their subjects are suppressed under $version only, so it must stay"
    fi
  fi
  jq -c --arg v "$version" --arg s "${successor:-$suppression}" \
    'del(.keys[$v]) | .suppressionVersion = $s' "$KEYS_TMP/secret.json" >"$KEYS_TMP/new.json"
  local released=0
  if [[ "$dry_run" == false ]]; then
    jq -nc --arg v "$version" '{action: "release-key-version", version: $v}' >"$KEYS_TMP/request.json"
    keys_invoke
    released="$(jq '[.released[]?] | add // 0' "$KEYS_TMP/response.json")"
    keys_write_secret "$secret_id"
  fi
  printf '%s: version=%s released_deleted_rows=%s suppression=%s\n' \
    "$([[ "$dry_run" == true ]] && echo "would retire" || echo retired)" "$version" "$released" \
    "${successor:-$suppression}"
}
