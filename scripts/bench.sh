#!/usr/bin/env bash
# Performance figures measured side by side: JMH micro-benchmarks of the in-memory steps (event JSON
# unmarshalling, policy, pseudonyms), then pipeline vs raw COPY, batch latency, peak heap and cold
# start (on the local-runtime classpath and on the Lambda jar alone).
# Usage: scripts/bench.sh [--jmh-full | --no-jmh | --jmh-only] [--jfr FILE] [--gc NAME] [--records N]
#        [--batch-sizes N,N] [--rounds N] [--modify] [--warmup-records N] [--cold-start-runs N]
#        [--suppressed-subjects N] [--pin]
#        [--lambda-jar JAR] [--jdbc-url URL] [--db-user USER] [--db-password PASSWORD]
#        [--hmac-secret-file FILE] [--verbose] [--dry-run] [--help] [--version]
# Exit codes: 0 measured, 2 bad option or file, 3 database unreachable or login refused, 70 bug.
# Builds what is stale once (./mvnw), then runs; --help lists every option.
set -euo pipefail
# shellcheck source=scripts/lib/local-runtime.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-runtime.sh"

BENCHMARKS="$REPO_ROOT/benchmarks"
JMH_CLASSPATH_FILE="$BENCHMARKS/target/runtime-classpath.txt"
LAMBDA_JAR="$REPO_ROOT/lambda/target/ddb-warehouse-lambda.jar"
# Short by default, so a whole bench stays within minutes on 2 shared cores; --jmh-full for figures
# worth quoting (more forks smooth out JIT and layout luck).
JMH_SHORT=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
JMH_FULL=(-f 3 -wi 5 -w 2s -i 10 -r 2s)

usage() {
  cat <<'USAGE'
bench.sh's own options (the others go to the pipeline bench, listed after these):
  --jmh-full     JMH with long settings: 3 forks, 5 x 2 s warm-up, 10 x 2 s measurement
                 (default: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement)
  --no-jmh       skip the JMH micro-benchmarks
  --jmh-only     run only the JMH micro-benchmarks (no database)
  --jfr FILE     record the pipeline bench's JVM with Java Flight Recorder (profile settings)
  --gc NAME      the pipeline bench's garbage collector: serial (default, as Lambda's Java
                 runtimes run the function), g1 or parallel
  --dry-run      print what would be built and run
USAGE
}

# True when OUTPUT is missing or older than a source or pom under the given paths.
stale() {
  local output="$1"
  shift
  [ -f "$output" ] || return 0
  [ -n "$(find "$REPO_ROOT/pom.xml" "$@" -newer "$output" \
    \( -name '*.java' -o -name '*.sql' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
    -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}
benchmarks_stale() { stale "$JMH_CLASSPATH_FILE" "$REPO_ROOT/schema-codegen" "$REPO_ROOT/warehouse-schema" "$REPO_ROOT/lambda" "$BENCHMARKS"; }
lambda_jar_stale() { stale "$LAMBDA_JAR" "$REPO_ROOT/schema-codegen" "$REPO_ROOT/warehouse-schema" "$REPO_ROOT/lambda"; }

jmh=short dry_run=false jfr="" gc=serial help=false version=false has_jar_option=false
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jmh-full) jmh=full ;;
    --no-jmh) jmh=none ;;
    --jmh-only) jmh=only ;;
    --jfr)
      if [ $# -lt 2 ]; then echo "bench.sh: --jfr needs a file (see --help)" >&2; exit 2; fi
      jfr="$2"; shift ;;
    --jfr=*) jfr="${1#--jfr=}" ;;
    --gc)
      if [ $# -lt 2 ]; then echo "bench.sh: --gc needs serial, g1 or parallel (see --help)" >&2; exit 2; fi
      gc="$2"; shift ;;
    --gc=*) gc="${1#--gc=}" ;;
    --dry-run) dry_run=true ;;
    -h|--help) help=true; bench_args+=("$1") ;;
    -V|--version) version=true; bench_args+=("$1") ;;
    --lambda-jar|--lambda-jar=*) has_jar_option=true; bench_args+=("$1") ;;
    *) bench_args+=("$1") ;;
  esac
  shift
done
$has_jar_option || bench_args=(--lambda-jar "$LAMBDA_JAR" "${bench_args[@]}")
# Lambda's Java runtimes run the function with the serial collector: measured under G1 (the JVM's
# own choice on this machine), a run's JVM CPU per record was about 1.5 us higher.
case "$gc" in
  serial) gc_flag=-XX:+UseSerialGC ;;
  g1) gc_flag=-XX:+UseG1GC ;;
  parallel) gc_flag=-XX:+UseParallelGC ;;
  *) echo "bench.sh: --gc must be serial, g1 or parallel, not '$gc'" >&2; exit 2 ;;
esac
if $help; then
  usage
  echo
  jmh=none
fi
if $version; then jmh=none; fi
jmh_settings=("${JMH_SHORT[@]}")
if [ "$jmh" = full ]; then jmh_settings=("${JMH_FULL[@]}"); fi

if $dry_run; then
  if [ "$jmh" != none ]; then
    benchmarks_stale && echo "would build: (cd $REPO_ROOT && ./mvnw -q -pl benchmarks -am package -DskipTests)"
    echo "would run: java -cp <benchmarks classpath> org.openjdk.jmh.Main ${jmh_settings[*]} -bm avgt -tu ns -rf csv"
  fi
  if [ "$jmh" != only ]; then
    lambda_jar_stale && echo "would build: (cd $REPO_ROOT && ./mvnw -q -pl lambda -am package -DskipTests)"
    if [ -n "$jfr" ]; then echo "would record: -XX:StartFlightRecording=filename=$jfr,settings=profile"; fi
    echo "would collect garbage with: $gc_flag"
    local_runtime_run dev.ddbwarehouse.local.cli.Bench --dry-run "${bench_args[@]}"
  fi
  exit 0
fi

java="$(local_runtime_java)"
if [ "$jmh" != none ] && [ "$jmh" != only ]; then
  # A mistyped option or an unreachable database is reported now, not after minutes of JMH.
  local_runtime_build
  local_runtime_command dev.ddbwarehouse.local.cli.Bench --check-only "${bench_args[@]}"
  "${LOCAL_RUNTIME_CMD[@]}"
fi
if [ "$jmh" != none ]; then
  if benchmarks_stale; then
    echo "building benchmarks (once; again only after source changes) ..." >&2
    (cd "$REPO_ROOT" && ./mvnw -q -pl benchmarks -am package -DskipTests >&2)
  fi
  results="$(mktemp --suffix=.csv)"
  # JMH's own report goes to stderr; stdout carries only the figures.
  "$java" -cp "$BENCHMARKS/target/classes:$(cat "$JMH_CLASSPATH_FILE")" org.openjdk.jmh.Main \
    "${jmh_settings[@]}" -bm avgt -tu ns -rf csv -rff "$results" >&2
  # "dev.ddbwarehouse.benchmarks.PolicyBenchmark.applyToItem",...,score,error,"ns/op"
  # becomes jmh_policy_apply_to_item_ns_per_op=<score> (±<error>, 99.9% CI)
  tail -n +2 "$results" | tr -d '"' | while IFS=, read -r benchmark _mode _threads _samples score error _unit; do
    name="$(echo "$benchmark" | awk -F. '{ sub(/Benchmark$/, "", $(NF-1)); print $(NF-1) "." $NF }' \
      | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g; s/\./_/' | tr '[:upper:]' '[:lower:]')"
    if [ "$error" = NaN ]; then error="n/a"; else error="$(printf '%.0f' "$error")"; fi
    printf 'jmh_%s_ns_per_op=%.0f (±%s, 99.9%% CI)\n' "$name" "$score" "$error"
  done
  rm -f "$results"
fi
if [ "$jmh" = only ]; then exit 0; fi

local_runtime_build
if lambda_jar_stale; then
  echo "building the Lambda jar (once; again only after source changes) ..." >&2
  (cd "$REPO_ROOT" && ./mvnw -q -pl lambda -am package -DskipTests >&2)
fi
export DDBW_LOCAL_STATE_DIR="${DDBW_LOCAL_STATE_DIR:-$REPO_ROOT/.local}"
local_runtime_command dev.ddbwarehouse.local.cli.Bench "${bench_args[@]}"
LOCAL_RUNTIME_CMD=("${LOCAL_RUNTIME_CMD[0]}" "$gc_flag" "${LOCAL_RUNTIME_CMD[@]:1}")
if [ -n "$jfr" ]; then
  LOCAL_RUNTIME_CMD=("${LOCAL_RUNTIME_CMD[0]}" "-XX:StartFlightRecording=filename=$jfr,settings=profile" "${LOCAL_RUNTIME_CMD[@]:1}")
fi
exec "${LOCAL_RUNTIME_CMD[@]}"
