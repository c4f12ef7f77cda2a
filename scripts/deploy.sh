#!/usr/bin/env bash
# Deploys one stage: Flyway migrations first (as the database administrator), then the packaged
# SAM template. Migrating first means a new function version never meets an older schema;
# migrations must therefore stay compatible with the version still running (expand, then contract).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Invoked by coordinates against deploy/flyway/pom.xml rather than bare on the command line: the
# plugin needs flyway-database-postgresql and the JDBC driver as plugin dependencies, which Maven
# takes only from a pom. Keep the version equal to flyway.version in the parent pom (tested).
readonly FLYWAY_PLUGIN="org.flywaydb:flyway-maven-plugin:11.20.3:migrate"

# An element of SourceStreamArns or ShadowStreamArns: sam-template.yaml's AllowedPattern without its
# "^$|" (SamTemplateTest keeps the two equal). The deprecated single-stream parameters keep theirs.
readonly STREAM_ARN_PATTERN='^arn:aws[a-z-]{0,7}:dynamodb:[a-z0-9-]{1,20}:[0-9]{12}:table/[A-Za-z0-9_.-]{3,140}/stream/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$'
readonly LEGACY_STREAM_ARN_PATTERN='^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[^/]+/stream/.+$'
# Always passed, empty when the stage file lacks them: sam deploy would otherwise keep a stream's
# previous value (an attached stream the stage file no longer names), or, for a parameter the stack
# has never had, fail the update.
readonly STREAM_PARAMS=(SourceStreamArns ShadowStreamArns StreamArn BackfillStreamArn)

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh --stage STAGE [options]

1. Reads the administrator's database secret (ADMIN_DB_SECRET_ID in deploy/STAGE.env) and runs the
   Flyway migrations of warehouse-schema against it (deploy/flyway/pom.xml, through ./mvnw).
2. Runs `sam deploy` of target/sam/packaged-STAGE.yaml (made by scripts/package.sh) as the stack
   ddb-warehouse-STAGE, with the template parameters from deploy/STAGE.env.

deploy/STAGE.env holds KEY=VALUE lines (copy deploy/example.env): UPPER_SNAKE keys are settings of
this script (AWS_REGION, DEPLOY_BUCKET, ADMIN_DB_SECRET_ID, CLOUDFORMATION_ROLE_ARN, DB_SSL_MODE,
DB_SSL_ROOT_CERT); CamelCase keys are parameters of sam-template.yaml. Stage is set by this script.

Streams: SourceStreamArns (the source tables' stream ARNs, comma-separated) and ShadowStreamArns
(backfill shadow streams) get one mapping each; StreamArn and BackfillStreamArn (deprecated) are
still accepted. A stream parameter the stage file lacks is passed empty. Before any other step, also
under --dry-run, every stream ARN is checked: well-formed, no stream twice, and a source stream
unless SourceStreamArns (and StreamArn) are set empty on purpose.
With --mapping-file, every stream's table (arn:...:table/NAME/stream/...) must also be a source or
a shadow of a table of that mapping document (docs/mapping.md).

Required:
  --stage STAGE        stage to deploy

Options:
  --template FILE      packaged template (default: target/sam/packaged-STAGE.yaml)
  --region REGION      override AWS_REGION from the stage file
  --skip-migrate       deploy without running the migrations
  --mapping-file FILE  the mapping document of the stage's SSM parameter, to check the streams
                       against (needs jq)
  --dry-run            print every command instead of running it; asks AWS nothing
  -h, --help           show this help

Environment:
  MVNW                 Maven wrapper to run (default: the repository's ./mvnw)

Exit codes: 0 deployed (or planned), 1 a check, migration or deploy failed, 2 bad usage.

Needs: aws, sam, jq and a JDK >= 21 for ./mvnw.
EOF
}

# The value of a template parameter in the stage file; fails when the file does not set it.
stage_param() {
  local key="$1" param
  for param in "${TEMPLATE_PARAMS[@]}"; do
    if [[ "${param%%=*}" == "$key" ]]; then
      printf '%s' "${param#*=}"
      return 0
    fi
  done
  return 1
}

# The streams the stage file names, checked before anything reaches AWS: CloudFormation would
# refuse a malformed ARN only after the migrations, and Lambda a stream mapped twice only halfway
# through the stack update. Fills stream_keys/stream_tables (parameter and table of each stream).
stream_keys=() stream_tables=()
check_streams() {
  local key value arn pattern table name sources=0
  local -a arns
  local -A seen=() named=()
  for key in "${STREAM_PARAMS[@]}"; do
    value="$(stage_param "$key" || true)"
    [[ -n "$value" ]] || continue
    if [[ "$key" == *Arns ]]; then
      pattern="$STREAM_ARN_PATTERN"
      [[ "$value" != ,* && "$value" != *, && "$value" != *,,* ]] \
        || die "$stage_file: $key has an empty element (a stray comma)"
      IFS=, read -r -a arns <<<"$value"
    else
      pattern="$LEGACY_STREAM_ARN_PATTERN"
      arns=("$value")
    fi
    for arn in "${arns[@]}"; do
      [[ "$arn" =~ $pattern ]] \
        || die "$stage_file: $key: '$arn' is not a DynamoDB stream ARN arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL (table names up to 140 characters)"
      table="${arn#*:table/}"
      table="${table%%/stream/*}"
      [[ -z "${seen[$arn]:-}" ]] \
        || die "$stage_file: the stream of table '$table' is in $key and in ${seen[$arn]}; Lambda maps a stream to the function only once"
      seen[$arn]="$key"
      # The template names a list's mappings after the letters and digits of their ARNs.
      name="$key/${arn//[^A-Za-z0-9]/}"
      [[ -z "${named[$name]:-}" ]] \
        || die "$stage_file: $key: the streams of tables '${named[$name]}' and '$table' would get the same mapping name (only the letters and digits of an ARN count)"
      named[$name]="$table"
      stream_keys+=("$key")
      stream_tables+=("$table")
      if [[ "$key" == SourceStreamArns || "$key" == StreamArn ]]; then
        sources=$((sources + 1))
      fi
    done
  done
  if [[ "$sources" -eq 0 ]]; then
    # A stage file that names no source parameter at all is a mistake; one that empties them means
    # it, as an empty value always does (e.g. the first of the two deploys that move StreamArn).
    stage_param SourceStreamArns >/dev/null || stage_param StreamArn >/dev/null \
      || die "$stage_file: no source stream: set SourceStreamArns to the stream ARNs of the source tables (comma-separated)"
    note "warning: $stage_file: SourceStreamArns and StreamArn are empty: the function gets no source stream mapping (records stay in their streams for 24 hours)"
  fi
}

# The function routes a record by the table name in its stream ARN to the mapping document's
# entry with that source or shadow; a table no entry names fails the whole batch, over and over.
# The document's table names, by docs/mapping.md: each entry's source (built-in entries may omit
# it) and shadow (default: SOURCE-backfill), as "source|shadow NAME ENTRY" lines.
mapping_tables() {
  jq -r '
    {"transactions": "transactions", "user_profiles": "user-profiles"} as $builtin
    | .tables | to_entries[]
    | (.value.source // $builtin[.key]) as $source
    | select($source != null)
    | "source \($source) \(.key)", "shadow \(.value.shadow // ($source + "-backfill")) \(.key)"
  ' "$1"
}

check_streams_against_mapping() {
  local kind tables="" i entry name
  local -A routed=()
  require_tools jq
  [[ -r "$mapping_file" ]] || die "--mapping-file $mapping_file not found or not readable"
  kind="$(jq -r 'if type != "object" then "other" elif has("tables") then (.tables | type) else "v1" end' \
    "$mapping_file" 2>/dev/null)" || die "--mapping-file $mapping_file is not JSON"
  case "$kind" in
    object) tables="$(mapping_tables "$mapping_file")" ;;
    v1)
      note "note: --mapping-file $mapping_file is a version 1 document: its one entry takes every table; streams not checked"
      return
      ;;
    *) die "--mapping-file $mapping_file: 'tables' is not an object (docs/mapping.md)" ;;
  esac
  while read -r kind name entry; do
    [[ -n "$kind" ]] && routed[$name]="$kind"
  done <<<"$tables"
  for i in "${!stream_tables[@]}"; do
    [[ -n "${routed[${stream_tables[$i]}]:-}" ]] \
      || die "$stage_file: ${stream_keys[$i]}: table '${stream_tables[$i]}' is neither a source nor a shadow of a table in $mapping_file; add it there (docs/mapping.md) or remove its stream"
  done
  # The other way round only warns: a table without a stream is stale, not failing.
  while read -r kind name entry; do
    [[ "$kind" == source ]] || continue
    for i in "${!stream_tables[@]}"; do
      if [[ "${stream_tables[$i]}" == "$name" && "${stream_keys[$i]}" != *Shadow* && "${stream_keys[$i]}" != Backfill* ]]; then
        continue 2
      fi
    done
    note "warning: $mapping_file: table '$name' (tables.$entry) has no stream in SourceStreamArns; nothing will update its rows"
  done <<<"$tables"
}

stage="" template="" region="" migrate=1 mapping_file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) stage="$(flag_value "$@")"; shift 2 ;;
    --template) template="$(flag_value "$@")"; shift 2 ;;
    --region) region="$(flag_value "$@")"; shift 2 ;;
    --skip-migrate) migrate=0; shift ;;
    --mapping-file) mapping_file="$(flag_value "$@")"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

require_flag --stage "$stage"
[[ "$stage" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must match ^[a-z][a-z0-9-]{0,19}\$"
stage_file="$REPO_ROOT/deploy/$stage.env"
load_stage_file "$stage_file"
region="${region:-$(setting AWS_REGION)}"
[[ -n "$region" ]] || die "no region: set AWS_REGION in $stage_file or pass --region"
require_setting "$stage_file" DEPLOY_BUCKET
if [[ "$migrate" -eq 1 ]]; then
  require_setting "$stage_file" ADMIN_DB_SECRET_ID
fi
# SAM CLI parses each override as Key=Value or Key="Value"; only the quoted form allows an empty
# value (which must be passed, or CloudFormation keeps the previous one) or a space.
overrides=("Stage=\"$stage\"")
for param in "${TEMPLATE_PARAMS[@]}"; do
  [[ "$param" != Stage=* ]] || die "$stage_file: remove Stage=; deploy.sh sets it from --stage"
  [[ "${param#*=}" != *[\"\\]* ]] || die "$stage_file: the value of ${param%%=*} may not contain '\"' or '\\'"
  overrides+=("${param%%=*}=\"${param#*=}\"")
done
for key in "${STREAM_PARAMS[@]}"; do
  stage_param "$key" >/dev/null || overrides+=("$key=\"\"")
done
template="${template:-$REPO_ROOT/target/sam/packaged-$stage.yaml}"
mvnw="$(mvnw_command)"

check_streams
if [[ -n "$mapping_file" ]]; then
  check_streams_against_mapping
fi

if [[ "$DRY_RUN" -eq 0 ]]; then
  require_tools aws sam jq
  [[ "$migrate" -eq 0 || -x "$mvnw" ]] || die "Maven wrapper '$mvnw' not found or not executable (set MVNW to override)"
  [[ -f "$template" ]] || die "packaged template $template not found: run scripts/package.sh --stage $stage first"
fi

# Reads one key of the secret JSON; the error names the key, never a value.
secret_field() {
  local json="$1" key="$2" value
  value="$(jq -r --arg k "$key" '.[$k] // empty | tostring' <<<"$json")" \
    || die "admin DB secret is not valid JSON"
  [[ -n "$value" ]] || die "admin DB secret has no '$key'"
  printf '%s' "$value"
}

# The JDBC URL Flyway gets; one place, so the dry run prints what the real run runs.
flyway_url() {
  local host="$1" port="$2" dbname="$3" root_cert url
  root_cert="$(setting DB_SSL_ROOT_CERT)"
  url="jdbc:postgresql://$host:$port/$dbname?sslmode=$(setting DB_SSL_MODE verify-full)"
  [[ -n "$root_cert" ]] && url="$url&sslrootcert=$root_cert"
  printf '%s' "$url"
}

run_migrations() {
  local secret_id json host port dbname url
  secret_id="$(setting ADMIN_DB_SECRET_ID)"
  local -a flyway=("$mvnw" -q -f "$REPO_ROOT/deploy/flyway/pom.xml" "$FLYWAY_PLUGIN")
  if [[ "$DRY_RUN" -eq 1 ]]; then
    print_command aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_id" \
      --query SecretString --output text
    plan_note "host, port and dbname come from that secret; FLYWAY_USER and FLYWAY_PASSWORD too, in the environment only:"
    print_command "${flyway[@]}" "-Dflyway.url=$(flyway_url '<host>' '<port>' '<dbname>')"
    return
  fi
  json="$(run aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_id" \
    --query SecretString --output text)"
  host="$(secret_field "$json" host)"
  port="$(jq -r '.port // 5432 | tostring' <<<"$json")"
  dbname="$(secret_field "$json" dbname)"
  url="$(flyway_url "$host" "$port" "$dbname")"
  # The password travels in the environment of the Maven process only: never on a command line,
  # where ps and the trace would show it.
  (
    FLYWAY_USER="$(secret_field "$json" username)"
    FLYWAY_PASSWORD="$(secret_field "$json" password)"
    export FLYWAY_USER FLYWAY_PASSWORD
    run "${flyway[@]}" "-Dflyway.url=$url"
  )
}

sam_deploy() {
  local role_arn
  role_arn="$(setting CLOUDFORMATION_ROLE_ARN)"
  local -a role_args=()
  [[ -n "$role_arn" ]] && role_args=(--role-arn "$role_arn")
  run sam deploy --template-file "$template" --stack-name "ddb-warehouse-$stage" --region "$region" \
    --s3-bucket "$(setting DEPLOY_BUCKET)" --s3-prefix "ddb-warehouse/$stage" \
    --capabilities CAPABILITY_IAM --no-confirm-changeset --no-fail-on-empty-changeset \
    "${role_args[@]}" --tags project=ddb-warehouse "stage=$stage" \
    --parameter-overrides "${overrides[@]}"
}

cd "$REPO_ROOT"
if [[ "$migrate" -eq 1 ]]; then
  run_migrations
fi
sam_deploy
