#!/usr/bin/env bash
# Operator tool: replays a DynamoDB table's history through the warehouse function via a shadow table.
# Usage: scripts/backfill.sh COMMAND [OPTIONS] [--dry-run]   (COMMAND: plan, create-shadow, attach, copy, verify, detach, teardown)
#        scripts/backfill.sh --help | COMMAND --help
# Builds the backfill module once if needed (./mvnw), then runs dev.ddbwarehouse.backfill.BackfillCli. See docs/backfill.md.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$REPO_ROOT/backfill"
CLASSPATH_FILE="$MODULE/target/runtime-classpath.txt"
BUILD_LOG="$MODULE/target/backfill-build.log"

# The wrapper's own errors: one line, exit 2 (the CLI's exit codes are listed in its --help).
fail() {
  echo "backfill.sh: $*" >&2
  exit 2
}

# The newest JDK >= 21: the machine's default java may be older.
find_java() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/*; do
    if [ -z "$candidate" ] || [ ! -x "$candidate/bin/java" ]; then continue; fi
    major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate/bin/java"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then echo "$best"; fi
}

# True when the classpath file is missing or older than a source, resource or pom of the module or
# of the modules it uses: cli-support (one-line errors, exit codes, SLF4J binding) and lambda (the
# function's core: the mapping document, row keys, pseudonyms).
stale() {
  [ -f "$CLASSPATH_FILE" ] || return 0
  [ -n "$(find "$REPO_ROOT/pom.xml" "$REPO_ROOT/cli-support" "$REPO_ROOT/lambda" "$MODULE" -newer "$CLASSPATH_FILE" \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -not -path '*/target/*' \
    -print -quit 2>/dev/null)" ]
}

dry_run=false
args=()
for arg in "$@"; do
  if [ "$arg" = "--dry-run" ]; then dry_run=true; else args+=("$arg"); fi
done

build=(./mvnw -q -B -ntp -pl backfill -am package -DskipTests)
java="$(find_java)"
[ -n "$java" ] || fail "no JDK >= 21 found under /usr/lib/jvm or /opt/java (set JAVA_HOME to one)"
run=("$java" -cp "$MODULE/target/classes:$(cat "$CLASSPATH_FILE" 2>/dev/null || true)"
  dev.ddbwarehouse.backfill.BackfillCli "${args[@]}")

if $dry_run; then
  if stale; then echo "would build: (cd $REPO_ROOT && ${build[*]})"; fi
  echo "would run: $java -cp <backfill classpath> dev.ddbwarehouse.backfill.BackfillCli ${args[*]}"
  exit 0
fi
if stale; then
  echo "building the backfill module (once; again only after source changes) ..." >&2
  mkdir -p "$MODULE/target"
  # Maven's output is kept for when it fails, not shown: it is not the operator's business otherwise.
  if ! (cd "$REPO_ROOT" && "${build[@]}") >"$BUILD_LOG" 2>&1; then
    fail "building the backfill module failed; Maven's output is in ${BUILD_LOG#"$REPO_ROOT"/}"
  fi
  touch "$CLASSPATH_FILE" # Maven leaves an unchanged file as it was: mark the build as done
  run[2]="$MODULE/target/classes:$(cat "$CLASSPATH_FILE")"
fi
exec "${run[@]}"
