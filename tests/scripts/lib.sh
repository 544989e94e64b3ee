# Shared helpers for the script tests: temp dirs, expectations, a pass/fail summary.
# shellcheck shell=bash

TESTS_RUN=0
TESTS_FAILED=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mu-script-test.XXXXXX")
trap 'rm -rf -- "$TEST_TMP"' EXIT

pass() { TESTS_RUN=$((TESTS_RUN + 1)); echo "ok   - $1"; }
fail() {
  TESTS_RUN=$((TESTS_RUN + 1)); TESTS_FAILED=$((TESTS_FAILED + 1))
  echo "FAIL - $1"
  [[ -z "${2:-}" ]] || sed 's/^/       | /' <<<"$2"
}

# expect_run NAME STATUS PATTERN CMD...: CMD exits with STATUS and its output matches PATTERN (ERE).
# Stdin comes from $TEST_STDIN (empty by default).
expect_run() {
  local name=$1 want_status=$2 pattern=$3 output status=0
  shift 3
  output=$("$@" 2>&1 <<<"${TEST_STDIN:-}") || status=$?
  if [[ $status -ne $want_status ]]; then
    fail "$name (exit $status, expected $want_status)" "$output"
  elif ! grep -qE -- "$pattern" <<<"$output"; then
    fail "$name (output does not match /$pattern/)" "$output"
  else
    pass "$name"
  fi
}

# check NAME CMD...: passes when CMD succeeds.
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# quiet CMD...: runs CMD without output (for use with check).
quiet() { "$@" >/dev/null 2>&1; }

finish() {
  echo "$((TESTS_RUN - TESTS_FAILED))/$TESTS_RUN passed"
  [[ $TESTS_FAILED -eq 0 ]]
}
