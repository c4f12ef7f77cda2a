# shellcheck shell=bash
# Helpers shared by scripts/*.sh. Sourced, never run: it sets no shell options of its own.

# Absolute path of the repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
DRY_RUN=0
# The trace of a real run goes to fd 3 (the original stderr), so a caller can capture a command's
# stdout and stderr, e.g. to read an AWS error code, without capturing the trace as well.
exec 3>&2

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Exit code 2 marks a usage error, so a caller can tell "you called me wrong" from "it failed".
usage_error() {
  printf 'error: %s (see --help)\n' "$*" >&2
  exit 2
}

note() {
  printf '%s\n' "$*" >&2
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 \
      || die "required tool '$tool' not found on PATH; install it and retry"
  done
}

require_flag() {
  local flag="$1" value="$2"
  [[ -n "$value" ]] || usage_error "missing required flag $flag"
}

# Reads the value after a flag, refusing a missing one instead of silently taking the next flag.
flag_value() {
  local flag="$1"
  shift
  [[ $# -gt 0 && "$1" != --* ]] || usage_error "flag $flag needs a value"
  printf '%s' "$1"
}

# Prints a command as a shell-quoted line, so the dry-run output can be pasted back into a shell.
# A dry run prints the plan on stdout; a real run traces on stderr, keeping stdout for results.
print_command() {
  local quoted
  printf -v quoted ' %q' "$@"
  if [[ "$DRY_RUN" -eq 1 ]]; then
    printf '+%s\n' "$quoted"
  else
    printf '+%s\n' "$quoted" >&3
  fi
}

# Says what a dry run cannot decide (it asks AWS nothing, so "only if absent" stays open).
plan_note() {
  [[ "$DRY_RUN" -eq 1 ]] && printf '# %s\n' "$*"
  return 0
}

# Runs a command, or only prints it under --dry-run. Every side effect goes through here.
run() {
  print_command "$@"
  if [[ "$DRY_RUN" -eq 0 ]]; then
    "$@"
  fi
}

# As run, for commands whose answer nobody reads (the plan of a dry run is still printed).
run_quiet() {
  print_command "$@"
  if [[ "$DRY_RUN" -eq 0 ]]; then
    "$@" >/dev/null
  fi
}

# The Maven wrapper to use; MVNW lets tests (and CI images with their own Maven) swap it.
mvnw_command() {
  printf '%s' "${MVNW:-$REPO_ROOT/mvnw}"
}

# Loads deploy/<stage>.env. Lines are KEY=VALUE; nothing is evaluated, so a value can hold any
# character. UPPER_SNAKE keys are script settings (returned in SETTINGS); CamelCase keys are
# parameters of sam-template.yaml (returned in TEMPLATE_PARAMS, in file order).
declare -gA SETTINGS=()
declare -ga TEMPLATE_PARAMS=()
load_stage_file() {
  local file="$1" line key value number=0
  [[ -r "$file" ]] || die "stage file $file not found; copy deploy/example.env to it and fill it in"
  while IFS= read -r line || [[ -n "$line" ]]; do
    number=$((number + 1))
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" == *=* ]] || die "$file:$number: expected KEY=VALUE"
    key="${line%%=*}"
    value="${line#*=}"
    if [[ "$key" =~ ^[A-Z][A-Z0-9_]*$ ]]; then
      SETTINGS["$key"]="$value"
    elif [[ "$key" =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
      TEMPLATE_PARAMS+=("$key=$value")
    else
      die "$file:$number: '$key' is neither an UPPER_SNAKE setting nor a CamelCase template parameter"
    fi
  done <"$file"
}

setting() {
  printf '%s' "${SETTINGS[$1]:-${2:-}}"
}

require_setting() {
  local file="$1" key="$2"
  [[ -n "${SETTINGS[$key]:-}" ]] || die "$file: required setting $key is missing or empty"
}
