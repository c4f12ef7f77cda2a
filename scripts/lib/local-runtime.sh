# shellcheck shell=bash
# Shared by run-local.sh, invoke-local.sh and bench.sh: build the local-runtime module when its
# sources changed, then run one of its main classes on a JDK >= 21 with the module's classpath.
# That classpath brings the backfill module too: run-local's --preexisting loader drives it.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_RUNTIME="$REPO_ROOT/local-runtime"
BACKFILL="$REPO_ROOT/backfill"
CLASSPATH_FILE="$LOCAL_RUNTIME/target/runtime-classpath.txt"
BUILD_MODULES="local-runtime"
# DDBW_LOCAL_CLASSPATH: a classpath built elsewhere (a test's, a CI image's); then nothing is built.

# The newest JDK >= 21: the default java may be older (the build needs 21 too; see ./mvnw).
local_runtime_java() {
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
  if [ -z "$best" ]; then
    echo "no JDK >= 21 found (set JAVA_HOME)" >&2
    return 1
  fi
  echo "$best"
}

# True when the classpath file is missing or older than any source or pom it depends on.
local_runtime_stale() {
  [ -f "$CLASSPATH_FILE" ] || return 0
  [ -n "$(find "$REPO_ROOT/pom.xml" "$REPO_ROOT/schema-codegen" "$REPO_ROOT/warehouse-schema" \
    "$REPO_ROOT/lambda" "$REPO_ROOT/cli-support" "$REPO_ROOT/privacy-scan" "$LOCAL_RUNTIME" "$BACKFILL" -newer "$CLASSPATH_FILE" \
    \( -name '*.java' -o -name '*.sql' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
    -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}

local_runtime_build() {
  if [ -n "${DDBW_LOCAL_CLASSPATH:-}" ]; then return 0; fi
  if local_runtime_stale; then
    echo "building local-runtime (once; again only after source changes) ..." >&2
    (cd "$REPO_ROOT" && ./mvnw -q -pl "$BUILD_MODULES" -am package -DskipTests >&2)
    # The build leaves a classpath file untouched when its content did not change; mark it built
    # now, or every later run would see it older than the sources and build again.
    touch "$CLASSPATH_FILE"
  fi
}

local_runtime_classpath() {
  if [ -n "${DDBW_LOCAL_CLASSPATH:-}" ]; then
    printf '%s' "$DDBW_LOCAL_CLASSPATH"
    return
  fi
  printf '%s' "$LOCAL_RUNTIME/target/classes:$(cat "$CLASSPATH_FILE" 2>/dev/null || true)"
}

# local_runtime_command MAIN_CLASS ARGS...: prints nothing, sets LOCAL_RUNTIME_CMD (an array).
local_runtime_command() {
  local main="$1" java
  shift
  java="$(local_runtime_java)"
  LOCAL_RUNTIME_CMD=("$java"
    --enable-native-access=ALL-UNNAMED
    -Dsqlite4java.library.path="$LOCAL_RUNTIME/target/native-libs"
    -cp "$(local_runtime_classpath)"
    "$main" "$@")
}

# local_runtime_run MAIN_CLASS ARGS...: builds if needed, then runs (honours --dry-run).
local_runtime_run() {
  local main="$1" arg dry_run=false
  shift
  local args=()
  for arg in "$@"; do
    if [ "$arg" = "--dry-run" ]; then dry_run=true; else args+=("$arg"); fi
  done
  export DDBW_LOCAL_STATE_DIR="${DDBW_LOCAL_STATE_DIR:-$REPO_ROOT/.local}"
  if $dry_run; then
    [ -z "${DDBW_LOCAL_CLASSPATH:-}" ] && local_runtime_stale && echo "would build: (cd $REPO_ROOT && ./mvnw -q -pl $BUILD_MODULES -am package -DskipTests)"
    local_runtime_command "$main" "${args[@]}"
    echo "would run: ${LOCAL_RUNTIME_CMD[*]:0:3} -cp <local-runtime classpath> ${LOCAL_RUNTIME_CMD[*]:5}"
    return 0
  fi
  local_runtime_build
  local_runtime_command "$main" "${args[@]}"
  exec "${LOCAL_RUNTIME_CMD[@]}"
}
