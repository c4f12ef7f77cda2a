#!/usr/bin/env bash
# One-time, per-stage setup by an administrator: the HMAC key secret, the SSM config parameter, the
# deployment bucket and the CloudFormation deployment role. Safe to re-run: the key is created only
# when absent and never overwritten (a new key would change every pseudonym); the rest is upserted.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/one-time-setup.sh --stage STAGE --config-file FILE --bucket BUCKET [options]

Creates, for one stage:
  - the HMAC key secret (32 random bytes) only if it does not exist yet: an existing key is never
    overwritten, because a new key changes every pseudonym in the warehouse;
  - the SSM parameter holding the mapping/policy document (created or updated from FILE);
  - the deployment bucket for `sam package` (private, versioned) if it does not exist;
  - the CloudFormation deployment role ddb-warehouse-STAGE-cloudformation, so deployers need only
    iam:PassRole on it instead of the right to create IAM roles themselves;
and prints the SQL for the database users (granted etl_writer / bi_reader) and the values to put
into deploy/STAGE.env.

FILE is validated first with scripts/mapping.sh validate (the function's own parser), also under
--dry-run: an invalid document stops the script with exit code 2 before any AWS call.

Required:
  --stage STAGE            lower-case stage name, e.g. dev, prod
  --config-file FILE       JSON mapping/policy document for the SSM parameter
  --bucket BUCKET          deployment bucket name
  --region REGION          AWS region (or set AWS_REGION / AWS_DEFAULT_REGION)

Options:
  --hmac-secret-name NAME  default: ddb-warehouse/STAGE/hmac-key
  --config-parameter NAME  default: /ddb-warehouse/STAGE/config
  --key-version VERSION    label of the first key, default: v1
  --kms-key-id KEY         customer managed KMS key for the secret (default: the AWS managed key)
  --no-deploy-role         skip the CloudFormation deployment role
  --dry-run                print every command instead of running it; asks AWS nothing. The plan
                           can be pasted into a shell: the files it references are kept in
                           target/one-time-setup/STAGE/
  -h, --help               show this help

Needs: aws, openssl, and a JDK >= 21 for scripts/mapping.sh (it builds local-runtime once).
EOF
}

stage="" config_file="" bucket="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
secret_name="" parameter_name="" key_version="v1" kms_key_id="" deploy_role=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) stage="$(flag_value "$@")"; shift 2 ;;
    --config-file) config_file="$(flag_value "$@")"; shift 2 ;;
    --bucket) bucket="$(flag_value "$@")"; shift 2 ;;
    --region) region="$(flag_value "$@")"; shift 2 ;;
    --hmac-secret-name) secret_name="$(flag_value "$@")"; shift 2 ;;
    --config-parameter) parameter_name="$(flag_value "$@")"; shift 2 ;;
    --key-version) key_version="$(flag_value "$@")"; shift 2 ;;
    --kms-key-id) kms_key_id="$(flag_value "$@")"; shift 2 ;;
    --no-deploy-role) deploy_role=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

require_flag --stage "$stage"
require_flag --config-file "$config_file"
require_flag --bucket "$bucket"
require_flag --region "$region"
[[ "$stage" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must match ^[a-z][a-z0-9-]{0,19}\$"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || usage_error "--bucket '$bucket' is not a valid bucket name"
[[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_error "--region '$region' is not a region name"
[[ "$key_version" =~ ^[A-Za-z0-9._-]+$ ]] || usage_error "--key-version may hold only letters, digits, '.', '_' and '-'"
secret_name="${secret_name:-ddb-warehouse/$stage/hmac-key}"
parameter_name="${parameter_name:-/ddb-warehouse/$stage/config}"
[[ "$parameter_name" == /* ]] || usage_error "--config-parameter must be an absolute name starting with '/'"
[[ -s "$config_file" ]] || die "--config-file $config_file does not exist or is empty"
# Absolute, so the printed plan works from any directory.
config_file="$(cd "$(dirname "$config_file")" && pwd)/${config_file##*/}"

# The function's own parser, before anything reaches AWS: a document it refuses would fail every
# cold start. Its summary goes to stderr, keeping stdout for the plan and the results.
validate_config_file() {
  local rc=0
  "$REPO_ROOT/scripts/mapping.sh" validate "$config_file" >&2 || rc=$?
  if [[ "$rc" -ne 0 ]]; then
    printf 'error: --config-file %s is not a valid mapping document; nothing was sent to AWS\n' \
      "$config_file" >&2
    exit "$rc"
  fi
}
validate_config_file

if [[ "$DRY_RUN" -eq 0 ]]; then
  require_tools aws openssl
fi

role_name="ddb-warehouse-$stage-cloudformation"
if [[ "$DRY_RUN" -eq 1 ]]; then
  # A plan must stay pasteable after the script ends, so its files outlive it (a real run's do not).
  tmp_dir="$REPO_ROOT/target/one-time-setup/$stage"
  (umask 077 && mkdir -p "$tmp_dir")
  plan_note "files referenced below are kept in $tmp_dir; paste the '+ ' lines without the '+ '"
else
  tmp_dir="$(mktemp -d)"
  trap 'rm -rf "$tmp_dir"' EXIT
fi

# A line of the plan that needs the shell (a redirect, a command substitution): printed as is.
plan_shell() {
  printf '+ %s\n' "$1"
}

# The key is written to a mode-600 file and handed over as file://, so it is never on a command
# line (visible in ps), in the trace or on the terminal.
create_hmac_secret() {
  local key_file="$tmp_dir/hmac-secret.json" key
  local -a kms_args=()
  [[ -n "$kms_key_id" ]] && kms_args=(--kms-key-id "$kms_key_id")
  if [[ "$DRY_RUN" -eq 0 ]]; then
    key="$(openssl rand -base64 32)"
    [[ "${#key}" -eq 44 ]] || die "openssl rand did not return 32 random bytes"
    (umask 077 && printf '{"active":"%s","keys":{"%s":"%s"}}' "$key_version" "$key_version" "$key" >"$key_file")
    key=""
  else
    plan_note "the key: 32 random bytes into a mode-600 file, never on a command line or the terminal:"
    # shellcheck disable=SC2016 # the $(...) is for the shell the plan is pasted into
    plan_shell "(umask 077 && printf '{\"active\":\"%s\",\"keys\":{\"%s\":\"%s\"}}' $(printf '%q %q' "$key_version" "$key_version") \"\$(openssl rand -base64 32)\" >$(printf '%q' "$key_file"))"
  fi
  run aws secretsmanager create-secret --region "$region" --name "$secret_name" \
    --description "ddb-warehouse $stage: HMAC-SHA256 pseudonymisation keys" \
    --secret-string "file://$key_file" "${kms_args[@]}" \
    --tags "Key=project,Value=ddb-warehouse" "Key=stage,Value=$stage" \
    --query ARN --output text
  run rm -f "$key_file"
}

setup_hmac_secret() {
  local output
  if [[ "$DRY_RUN" -eq 1 ]]; then
    print_command aws secretsmanager describe-secret --region "$region" --secret-id "$secret_name" --query ARN --output text
    plan_note "only if the secret does not exist (ResourceNotFoundException); an existing key is left untouched:"
    create_hmac_secret
    hmac_secret_arn="<ARN printed by create-secret or describe-secret>"
    return
  fi
  if output="$(run aws secretsmanager describe-secret --region "$region" --secret-id "$secret_name" \
    --query ARN --output text 2>&1)"; then
    note "HMAC key secret $secret_name exists: left unchanged (keys are never overwritten)"
    hmac_secret_arn="$output"
  elif [[ "$output" == *ResourceNotFoundException* ]]; then
    hmac_secret_arn="$(create_hmac_secret)"
    note "HMAC key secret $secret_name created with key version $key_version"
  else
    die "could not check whether secret $secret_name exists: $output"
  fi
}

setup_config_parameter() {
  # Intelligent-Tiering moves the parameter to the advanced tier only if the document outgrows 4 KB.
  run_quiet aws ssm put-parameter --region "$region" --name "$parameter_name" --type String \
    --tier Intelligent-Tiering --overwrite \
    --description "ddb-warehouse $stage: attribute mapping and pseudonymisation policy" \
    --value "file://$config_file"
}

create_bucket() {
  local -a location=()
  [[ "$region" != us-east-1 ]] && location=(--create-bucket-configuration "LocationConstraint=$region")
  run_quiet aws s3api create-bucket --region "$region" --bucket "$bucket" "${location[@]}"
  run aws s3api put-public-access-block --region "$region" --bucket "$bucket" \
    --public-access-block-configuration \
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
  run aws s3api put-bucket-versioning --region "$region" --bucket "$bucket" \
    --versioning-configuration Status=Enabled
}

setup_bucket() {
  local output
  if [[ "$DRY_RUN" -eq 1 ]]; then
    print_command aws s3api head-bucket --region "$region" --bucket "$bucket"
    plan_note "only if the bucket does not exist (404):"
    create_bucket
    return
  fi
  if output="$(run aws s3api head-bucket --region "$region" --bucket "$bucket" 2>&1)"; then
    note "deployment bucket $bucket exists: left unchanged"
  elif [[ "$output" == *404* || "$output" == *"Not Found"* ]]; then
    create_bucket
    note "deployment bucket $bucket created"
  else
    die "bucket $bucket exists but is not usable by this account: $output"
  fi
}

render_role_policy() {
  local account="$1" partition="aws"
  [[ "$region" == cn-* ]] && partition="aws-cn"
  [[ "$region" == us-gov-* ]] && partition="aws-us-gov"
  sed -e "s/@PARTITION@/$partition/g" -e "s/@REGION@/$region/g" -e "s/@ACCOUNT_ID@/$account/g" \
    -e "s/@STAGE@/$stage/g" -e "s/@BUCKET@/$bucket/g" \
    "$REPO_ROOT/deploy/cloudformation-role-policy.json" >"$2"
}

setup_deploy_role() {
  local account output
  if [[ "$DRY_RUN" -eq 1 ]]; then
    print_command aws iam get-role --role-name "$role_name" --query Role.Arn --output text
    plan_note "only if the role does not exist (NoSuchEntity):"
    print_command aws iam create-role --role-name "$role_name" \
      --description "CloudFormation service role deploying the ddb-warehouse-$stage stack" \
      --assume-role-policy-document "file://$REPO_ROOT/deploy/cloudformation-trust-policy.json" \
      --query Role.Arn --output text
    # Everything but the account is known without asking AWS; the pasted line asks for it.
    render_role_policy @ACCOUNT_ID@ "$tmp_dir/role-policy.template.json"
    plan_note "the role policy, for the account that runs the plan:"
    # shellcheck disable=SC2016 # the $(...) is for the shell the plan is pasted into
    plan_shell "sed \"s/@ACCOUNT_ID@/\$(aws sts get-caller-identity --query Account --output text)/g\" $(printf '%q' "$tmp_dir/role-policy.template.json") >$(printf '%q' "$tmp_dir/role-policy.json")"
    print_command aws iam put-role-policy --role-name "$role_name" --policy-name ddb-warehouse-deploy \
      --policy-document "file://$tmp_dir/role-policy.json"
    deploy_role_arn="<ARN printed by create-role or get-role>"
    return
  fi
  account="$(run aws sts get-caller-identity --query Account --output text)"
  [[ "$account" =~ ^[0-9]{12}$ ]] || die "aws sts get-caller-identity returned no account id"
  if output="$(run aws iam get-role --role-name "$role_name" --query Role.Arn --output text 2>&1)"; then
    deploy_role_arn="$output"
  elif [[ "$output" == *NoSuchEntity* ]]; then
    deploy_role_arn="$(run aws iam create-role --role-name "$role_name" \
      --description "CloudFormation service role deploying the ddb-warehouse-$stage stack" \
      --assume-role-policy-document "file://$REPO_ROOT/deploy/cloudformation-trust-policy.json" \
      --query Role.Arn --output text)"
  else
    die "could not check whether role $role_name exists: $output"
  fi
  render_role_policy "$account" "$tmp_dir/role-policy.json"
  run aws iam put-role-policy --role-name "$role_name" --policy-name ddb-warehouse-deploy \
    --policy-document "file://$tmp_dir/role-policy.json"
}

print_database_users() {
  local user="ddb_warehouse_${stage//-/_}"
  cat <<EOF

-- Run as the database administrator after the first deploy.sh (its migrations create the roles).
-- Store the Lambda user's password only in its secret (the DbSecretArn parameter), never here.
CREATE ROLE $user LOGIN PASSWORD '<generated password, stored in the DB secret>';
GRANT etl_writer TO $user;
-- One login per analyst or BI tool; bi_reader sees the bi schema only.
CREATE ROLE analyst_name LOGIN PASSWORD '<password given to the analyst>';
GRANT bi_reader TO analyst_name;
EOF
}

print_stage_values() {
  cat <<EOF

# Put these into deploy/$stage.env:
DEPLOY_BUCKET=$bucket
AWS_REGION=$region
EOF
  [[ "$deploy_role" -eq 1 ]] && printf 'CLOUDFORMATION_ROLE_ARN=%s\n' "$deploy_role_arn"
  cat <<EOF
ConfigParameterName=$parameter_name
HmacSecretArn=$hmac_secret_arn
EOF
}

hmac_secret_arn="" deploy_role_arn=""
setup_hmac_secret
setup_config_parameter
setup_bucket
if [[ "$deploy_role" -eq 1 ]]; then
  setup_deploy_role
fi
print_database_users
print_stage_values
