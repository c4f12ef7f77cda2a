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

Required:
  --stage STAGE        stage to deploy

Options:
  --template FILE      packaged template (default: target/sam/packaged-STAGE.yaml)
  --region REGION      override AWS_REGION from the stage file
  --skip-migrate       deploy without running the migrations
  --dry-run            print every command instead of running it; asks AWS nothing
  -h, --help           show this help

Environment:
  MVNW                 Maven wrapper to run (default: the repository's ./mvnw)

Needs: aws, sam, jq and a JDK >= 21 for ./mvnw.
EOF
}

stage="" template="" region="" migrate=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) stage="$(flag_value "$@")"; shift 2 ;;
    --template) template="$(flag_value "$@")"; shift 2 ;;
    --region) region="$(flag_value "$@")"; shift 2 ;;
    --skip-migrate) migrate=0; shift ;;
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
template="${template:-$REPO_ROOT/target/sam/packaged-$stage.yaml}"
mvnw="$(mvnw_command)"

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
