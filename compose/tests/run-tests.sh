#!/usr/bin/env bash
# Test runner of docker-compose.tests.yml: seeds LocalStack and PostgreSQL the way
# scripts/one-time-setup.sh sets up a real stage, invokes the function through the runtime
# interface emulator with real stream events, and asserts on the warehouse.
set -euo pipefail

: "${LOCALSTACK_URL:?}" "${FUNCTION_URL:?}" "${AWS_REGION:?}" "${ETL_DB_PASSWORD:?}"
readonly EVENTS_DIR=/fixtures/aws-stream-events
readonly PROJECT_EVENTS_DIR=/fixtures/project-stream-events
readonly PROJECT_EVENT=/fixtures/project-events/transactions.json
passed=0
failed=0

aws_local() { aws --endpoint-url "$LOCALSTACK_URL" --region "$AWS_REGION" "$@"; }
sql() { psql -v ON_ERROR_STOP=1 -qtAX -c "$1"; }

check() {
  local name="$1" expected="$2" actual="$3"
  if [[ "$expected" == "$actual" ]]; then
    passed=$((passed + 1))
    printf 'ok   %s\n' "$name"
  else
    failed=$((failed + 1))
    printf 'FAIL %s: expected %s, got %s\n' "$name" "$expected" "$actual"
  fi
}

# Waits for a TCP port with a bounded number of tries, so a broken container fails the run.
wait_for_port() {
  local host="$1" port="$2" tries=120
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    tries=$((tries - 1))
    [[ "$tries" -gt 0 ]] || { echo "timed out waiting for $host:$port" >&2; exit 1; }
    sleep 1
  done
}

seed() {
  local key
  key="$(head -c 32 /dev/urandom | base64)"
  aws_local secretsmanager create-secret --name ddb-warehouse/compose/hmac-key \
    --secret-string "{\"active\":\"v1\",\"keys\":{\"v1\":\"$key\"}}" >/dev/null
  aws_local secretsmanager create-secret --name ddb-warehouse/compose/db-etl \
    --secret-string "{\"host\":\"postgres\",\"port\":5432,\"dbname\":\"warehouse\",\"username\":\"etl_lambda\",\"password\":\"$ETL_DB_PASSWORD\"}" >/dev/null
  # An empty document: the function's built-in default mapping and policy apply.
  aws_local ssm put-parameter --name /ddb-warehouse/compose/config --type String --overwrite \
    --value file:///opt/tests/config.json >/dev/null
  # The same statements one-time-setup.sh prints for an administrator.
  sql "CREATE ROLE etl_lambda LOGIN PASSWORD '$ETL_DB_PASSWORD'"
  sql "GRANT etl_writer TO etl_lambda"
}

# Invokes the function with one event file; prints the response body.
invoke() {
  local file="$1" status
  status="$(curl -sS -o /tmp/response.json -w '%{http_code}' -X POST --data-binary "@$file" "$FUNCTION_URL")"
  [[ "$status" == 200 ]] || { echo "invocation with $file answered HTTP $status" >&2; cat /tmp/response.json >&2; }
  cat /tmp/response.json
}

# A successful invocation answers a StreamsEventResponse with no failed item; an error answers
# {"errorType":...}.
expect_no_failures() {
  local name="$1" response="$2"
  check "$name: no error" "false" "$(jq 'has("errorType")' <<<"$response")"
  check "$name: no batch item failure" "0" "$(jq '(.batchItemFailures // []) | length' <<<"$response")"
}

wait_for_port function 8080
seed

for event in "$PROJECT_EVENTS_DIR"/*.json; do
  expect_no_failures "$(basename "$event")" "$(invoke "$event")"
done
check "the project fixtures' defective records are quarantined" "t" \
  "$(sql "SELECT count(*) = 6 FROM etl.quarantine WHERE transaction_id LIKE 't-500%'")"

shopt -s nullglob
samples=("$EVENTS_DIR"/*.json)
if [[ ${#samples[@]} -eq 0 ]]; then
  echo "skip AWS sample events: none mounted (set AWS_SAMPLES_DIR=../shared/fixtures/aws-stream-events to run them)"
else
  for event in "${samples[@]}"; do
    expect_no_failures "$(basename "$event")" "$(invoke "$event")"
  done
  check "non-transaction sample records are quarantined" "t" \
    "$(sql "SELECT count(*) > 0 FROM etl.quarantine WHERE transaction_id IS NULL OR transaction_id NOT LIKE 't-%'")"
fi

ids="'tx-compose-1001','tx-compose-1002','tx-compose-1003'"
for round in first replayed; do
  expect_no_failures "project event ($round)" "$(invoke "$PROJECT_EVENT")"
  check "live rows in bi after the $round batch" "tx-compose-1001,tx-compose-1002" \
    "$(sql "SELECT string_agg(transaction_id, ',' ORDER BY transaction_id) FROM bi.transactions WHERE transaction_id IN ($ids)")"
  check "newest image wins after the $round batch" "SETTLED" \
    "$(sql "SELECT status FROM bi.transactions WHERE transaction_id = 'tx-compose-1002'")"
done
check "application REMOVE is a soft delete" "1" \
  "$(sql "SELECT count(*) FROM warehouse.transactions WHERE transaction_id = 'tx-compose-1003' AND deleted_at IS NOT NULL")"
check "pseudonyms are HMAC-SHA256 hex" "2" \
  "$(sql "SELECT count(*) FROM bi.transactions WHERE transaction_id IN ($ids) AND user_pseudonym ~ '^[0-9a-f]{64}\$' AND email_pseudonym ~ '^[0-9a-f]{64}\$'")"
check "no raw identifier stored" "0" \
  "$(sql "SELECT count(*) FROM warehouse.transactions t WHERE row_to_json(t)::text ~* '(user-alice|alice@example|DE89370400440532013000|DE89 3704|Jane Counterparty|203\\.0\\.113\\.42)'")"
check "exact amounts" "12.50000000" \
  "$(sql "SELECT amount FROM warehouse.transactions WHERE transaction_id = 'tx-compose-1001'")"

printf '%d passed, %d failed\n' "$passed" "$failed"
[[ "$failed" -eq 0 ]]
