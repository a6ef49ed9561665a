#!/usr/bin/env bash
# run-tests.sh [dotnet test args...]
#
# Runs the unit tests (tests/Unit), then the integration tests (tests/Integration: they boot
# build/esp in QEMU and Bochs, so run `make image` first). Extra arguments go to both
# `dotnet test` runs (e.g. --filter "FullyQualifiedName~Config").
#
# The last line of output is always exactly "N passed, N failed" (both projects together).
# A project that fails to build, crashes, or whose results cannot be read counts as at least
# one failure. Exit status: 0 only if nothing failed and at least one test passed.
# Non-interactive: no TTY or stdin needed. TRX results go to build/test-results/PROJECT/.
set -uo pipefail

root=$(cd "$(dirname -- "$0")/.." && pwd)
cd "$root" || exit 2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

total_passed=0
total_failed=0

# counter NAME TRX: the value of attribute NAME of the TRX <Counters> element (0 if absent).
counter() {
    local v
    v=$(grep -o "<Counters [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*' | head -n 1)
    echo "${v:-0}"
}

run_project() {
    local name=$1 results="$root/build/test-results/$1" trx rc passed failed
    echo "=== dotnet test tests/$name"
    rm -rf "$results"
    mkdir -p "$results"
    dotnet test "tests/$name" --nologo --logger "trx;LogFileName=$name.trx" \
        --results-directory "$results" "${@:2}" </dev/null
    rc=$?
    trx="$results/$name.trx"
    if [ -f "$trx" ]; then
        passed=$(counter passed "$trx")
        failed=$(( $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
    else
        passed=0
        failed=0
    fi
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "run-tests.sh: tests/$name: dotnet test exited $rc with no failed test recorded" \
             "(build error or crashed test host): counted as 1 failure"
        failed=1
    fi
    echo "=== tests/$name: $passed passed, $failed failed"
    total_passed=$(( total_passed + passed ))
    total_failed=$(( total_failed + failed ))
}

run_project Unit "$@"
run_project Integration "$@"

echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ] || [ "$total_passed" -eq 0 ]; then
    exit 1
fi
exit 0
