#!/usr/bin/env bash
# Where a new session's set-up time goes, phase by phase (Gateway and Router set-up histograms), per step.
# Starts AppHost (Release build) as the relay benchmark does, streams 40 s at N=50 unmeasured, then runs STEPS steps of
# 50 sessions connecting over 1 s, each a separate relay-benchmark run against the same AppHost, and prints the phase
# histograms' difference across each step (mean and bucket-interpolated p50/p90/p99, ms).
# usage: bash bench/SetupPhases/run.sh TAG [STEPS]   (build first: dotnet build AppHost -c Release && dotnet build bench/RelayBenchmark -c Release)
set -euo pipefail
TAG=$1; STEPS=${2:-3}
cd "$(dirname "$0")/../.."
STATE=/tmp/setup-phases-state; OUT=/tmp/setup-phases-$TAG
rm -rf "$STATE" "$OUT" && mkdir -p "$STATE" "$OUT"
export SETUP_PHASES_ENDPOINTS=$STATE/endpoints.json
dotnet AppHost/bin/Release/net10.0/VoicePlatform.AppHost.dll --state-dir "$STATE" --gateway-port 0 --gateway-tls-port 0 > "$OUT/apphost.log" 2>&1 &
APPHOST=$!
trap 'kill -TERM $APPHOST 2>/dev/null; wait $APPHOST 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do [ -f "$STATE/endpoints.json" ] && break; sleep 1; done
sleep 1
BENCH=(dotnet run --project bench/RelayBenchmark -c Release --no-build -- --endpoints "$STATE/endpoints.json" --paths platform --no-readme
  --connect-spread 1s --quiet-timeout 20s)
"${BENCH[@]}" --sessions 50 --duration 40s --out "$OUT/warm-up.json" > "$OUT/warm-up.log" 2>&1
for i in $(seq 1 "$STEPS"); do
  python3 bench/SetupPhases/phases.py snap "$OUT/before-$i.json"
  "${BENCH[@]}" --sessions 50 --duration 5s --out "$OUT/step-$i.json" > "$OUT/step-$i.log" 2>&1
  python3 bench/SetupPhases/phases.py snap "$OUT/after-$i.json"
  echo "== $TAG step $i"
  python3 bench/SetupPhases/phases.py diff "$OUT/before-$i.json" "$OUT/after-$i.json"
done
