#!/usr/bin/env bash
# Runs the Router drain and failover end-to-end tests (and the kill loop) N times in a row, optionally with one core
# kept busy (`--busy`), and prints the pass count. The build must be current (dotnet build VoicePlatform.sln).
#   scripts/fault-loop.sh [runs=20] [--busy] [--filter 'FullyQualifiedName~RouterDrainTests|FullyQualifiedName~RouterFailoverTests']
set -u
cd "$(dirname "$0")/.."
runs=20
busy=0
filter='FullyQualifiedName~RouterDrainTests|FullyQualifiedName~RouterFailoverTests|FullyQualifiedName~RouterKillLoopTests'
while [ $# -gt 0 ]; do
  case "$1" in
    --busy) busy=1 ;;
    --filter) shift; filter="$1" ;;
    *) runs="$1" ;;
  esac
  shift
done

load_pid=
if [ "$busy" = 1 ]; then
  yes > /dev/null &
  load_pid=$!
  trap 'kill "$load_pid" 2>/dev/null' EXIT
fi

passed=0
logs=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  if dotnet test tests/EndToEnd.Tests/VoicePlatform.EndToEnd.Tests.csproj --no-build --filter "$filter" > "$logs/run-$i.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $i: passed"
  else
    echo "run $i: FAILED (log: $logs/run-$i.log)"
  fi
done
echo "passed $passed of $runs (one core busy: $busy)"
[ "$passed" = "$runs" ]
