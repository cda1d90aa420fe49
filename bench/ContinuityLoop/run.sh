#!/usr/bin/env bash
# Runs the Router drain and failover end-to-end tests N times in a row on a busy machine and reports the pass count
# (issue 14, item 8: a drain or a failover must not lose a turn, every time). Build first:
#   dotnet build VoicePlatform.sln
#   bench/ContinuityLoop/run.sh [iterations=20] [burners=1]
# "burners" CPU-bound processes run for the whole loop so that the tests share the cores with other work; the busy
# share of the machine over the loop is measured from /proc/stat and printed beside the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
iterations=${1:-20}
burners=${2:-1}
filter="FullyQualifiedName~RouterDrainTests|FullyQualifiedName~RouterFailoverTests"
stamp=$(date -u +%Y%m%d-%H%M%S)
results=bench/results/continuity-loop-$stamp.txt
mkdir -p bench/results

cpu() { awk '/^cpu /{ idle=$5+$6; total=0; for (i=2; i<=NF; i++) total+=$i; print total, idle }' /proc/stat; }

pids=()
for _ in $(seq "$burners"); do (while :; do :; done) & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

read -r total0 idle0 < <(cpu)
passed=0
{
  echo "# Router drain + failover end-to-end tests, $iterations runs, $burners CPU burner(s), $(nproc) cores, started $stamp UTC"
  echo "# filter: $filter"
} | tee "$results"
for i in $(seq "$iterations"); do
  started=$(date +%s)
  if out=$(dotnet test tests/EndToEnd.Tests --no-build --filter "$filter" 2>&1); then
    passed=$((passed + 1)); verdict=pass
  else
    verdict=FAIL
  fi
  summary=$(grep -E "^(Passed|Failed)!" <<<"$out" | tail -1 || true)
  echo "run $i: $verdict in $(( $(date +%s) - started )) s  ${summary}" | tee -a "$results"
  [ "$verdict" = FAIL ] && grep -E "^\s+Failed |Error Message" -A3 <<<"$out" | head -20 | sed 's/^/    /' | tee -a "$results"
done
read -r total1 idle1 < <(cpu)
busy=$(awk -v t=$((total1 - total0)) -v i=$((idle1 - idle0)) 'BEGIN { printf "%.0f", 100 * (t - i) / t }')
echo "passed $passed of $iterations; machine busy $busy % over the loop" | tee -a "$results"
[ "$passed" -eq "$iterations" ]
