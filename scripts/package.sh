#!/usr/bin/env bash
# Builds the shaded Lambda jar and uploads it with `sam package`, writing the packaged template
# that deploy.sh deploys. Packaging is separate from deploying so one tested artifact can be
# promoted through the stages.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/package.sh --stage STAGE [options]

Builds lambda/target/ddb-warehouse-lambda.jar (./mvnw -pl lambda -am package -DskipTests) and runs
`sam package` to upload it to the stage's deployment bucket (DEPLOY_BUCKET in deploy/STAGE.env,
under the prefix ddb-warehouse/STAGE/). Writes target/sam/packaged-STAGE.yaml for deploy.sh.

Required:
  --stage STAGE        reads deploy/STAGE.env

Options:
  --bucket BUCKET      override DEPLOY_BUCKET from the stage file
  --region REGION      override AWS_REGION from the stage file
  --skip-build         package the jar already in lambda/target
  --dry-run            print every command instead of running it
  -h, --help           show this help

Environment:
  MVNW                 Maven wrapper to run (default: the repository's ./mvnw)

Needs: sam (AWS SAM CLI) and a JDK >= 21 for ./mvnw.

TLS to RDS: with DbSslMode verify-full (the default) the function verifies the database
certificate against the Amazon RDS CA bundle, which the build embeds from
deploy/rds-ca/global-bundle.pem. Download it once from
https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem into that path.
EOF
}

stage="" bucket="" region="" build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) stage="$(flag_value "$@")"; shift 2 ;;
    --bucket) bucket="$(flag_value "$@")"; shift 2 ;;
    --region) region="$(flag_value "$@")"; shift 2 ;;
    --skip-build) build=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

require_flag --stage "$stage"
[[ "$stage" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must match ^[a-z][a-z0-9-]{0,19}\$"
stage_file="$REPO_ROOT/deploy/$stage.env"
load_stage_file "$stage_file"
bucket="${bucket:-$(setting DEPLOY_BUCKET)}"
region="${region:-$(setting AWS_REGION)}"
[[ -n "$bucket" ]] || die "no deployment bucket: set DEPLOY_BUCKET in $stage_file or pass --bucket"
[[ -n "$region" ]] || die "no region: set AWS_REGION in $stage_file or pass --region"

ssl_mode="$(setting DbSslMode verify-full)"
ca_bundle="$REPO_ROOT/deploy/rds-ca/global-bundle.pem"
if [[ "$ssl_mode" == verify-* && ! -f "$ca_bundle" ]]; then
  note "warning: DbSslMode=$ssl_mode but $ca_bundle is missing: the function will refuse to start."
  note "         Download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem there first."
fi

mvnw="$(mvnw_command)"
jar="$REPO_ROOT/lambda/target/ddb-warehouse-lambda.jar"
packaged="$REPO_ROOT/target/sam/packaged-$stage.yaml"

if [[ "$DRY_RUN" -eq 0 ]]; then
  require_tools sam
  if [[ "$build" -eq 1 ]]; then
    [[ -x "$mvnw" ]] || die "Maven wrapper '$mvnw' not found or not executable (set MVNW to override)"
  fi
fi

cd "$REPO_ROOT"
if [[ "$build" -eq 1 ]]; then
  run "$mvnw" -q -pl lambda -am package -DskipTests
fi
if [[ "$DRY_RUN" -eq 0 ]]; then
  [[ -f "$jar" ]] || die "$jar is missing: build it first (drop --skip-build)"
fi
run mkdir -p "$(dirname "$packaged")"
run sam package --template-file "$REPO_ROOT/sam-template.yaml" --region "$region" \
  --s3-bucket "$bucket" --s3-prefix "ddb-warehouse/$stage" --output-template-file "$packaged"
if [[ "$DRY_RUN" -eq 1 ]]; then
  note "would write the packaged template $packaged (then: scripts/deploy.sh --stage $stage)"
else
  note "packaged template: $packaged (deploy it with scripts/deploy.sh --stage $stage)"
fi
