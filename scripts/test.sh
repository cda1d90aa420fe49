#!/usr/bin/env bash
# The whole test suite: installs missing backing packages, builds with warnings as errors, runs every .NET test
# project (real PostgreSQL, Redis and RabbitMQ are started by the fixtures) and the official-SDK conformance tests.
# Prints one summary line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION="${CONFIGURATION:-Debug}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

started=$(date +%s)
# A phase heading with the time since the start, so a CI log shows where its minutes went.
phase() { echo "== $* (at $(( ($(date +%s) - started) / 60 ))m$(( ($(date +%s) - started) % 60 ))s)"; }
phase "bootstrap (machine packages)"
bash scripts/bootstrap.sh || exit 1

log=$(mktemp)
status=0
phase "build ($CONFIGURATION, warnings as errors)"
dotnet build VoicePlatform.sln -c "$CONFIGURATION" -warnaserror -nologo -v:q || exit 1

# .editorconfig rules formatting: `dotnet format whitespace VoicePlatform.sln` fixes what this reports.
phase "formatting (.editorconfig)"
dotnet format whitespace VoicePlatform.sln --verify-no-changes -v:q || { echo "formatting differs from .editorconfig: run dotnet format whitespace VoicePlatform.sln"; exit 1; }

# The local S3 server (s3rver) that the Recordings S3 store tests start; installed here, never at test time.
(cd tests/S3Server && npm ci --no-audit --no-fund)
# kubernetes-models for the manifests' schema validation (tests/Infra.Tests SchemaValidationTests runs infra/validate).
(cd infra/validate && npm ci --no-audit --no-fund)

# Test assemblies in two lanes side by side, then EndToEnd alone. Lane 1: the ones that boot whole platforms or a
# browser (they import PlatformBootingTests.props or use Playwright), one at a time; lane 2: the rest, one at a time.
# Two such heavy assemblies at once would share 2 cores between two platforms; EndToEnd runs alone for the same reason.
# Each assembly's output goes to its own file and into the log whole, so the log does not interleave.
run_tests() { # project...
  local project out
  for project in "$@"; do
    out="$lanes/$(basename "$project" .csproj).log"
    if dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo > "$out" 2>&1; then :; else echo failed > "$out.failed"; fi
  done
}
lanes=$(mktemp -d)
mapfile -t projects < <(ls tests/*/*.Tests.csproj | grep -v '/EndToEnd.Tests/')
heavy=(); light=()
for project in "${projects[@]}"; do
  if grep -q -E 'PlatformBootingTests.props|Microsoft.Playwright' "$project"; then heavy+=("$project"); else light+=("$project"); fi
done
phase ".NET tests: ${#heavy[@]} platform/browser assemblies beside ${#light[@]} others"
run_tests "${heavy[@]}" &
heavy_lane=$!
run_tests "${light[@]}"
wait "$heavy_lane"
for project in "${heavy[@]}" "${light[@]}"; do
  out="$lanes/$(basename "$project" .csproj).log"
  tee -a "$log" < "$out"
  [ ! -e "$out.failed" ] || status=1
done
rm -rf "$lanes"

phase ".NET tests: EndToEnd"
dotnet test tests/EndToEnd.Tests -c "$CONFIGURATION" --no-build -nologo 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# One service image built without a registry and run under its Deployment's restrictions (infra/images; ~25 s).
phase "container image smoke test"
bash infra/images/smoke-test.sh 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

for sdk in tests/sdk/*/; do
  [ -f "$sdk/run.sh" ] || continue
  phase "SDK conformance: $sdk"
  bash "$sdk/run.sh" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# Totals across runners: dotnet test ("Failed: F, Passed: P") and node --test ("# pass P", "# fail F").
read -r passed failed < <(awk '
  /Passed!|Failed!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
  /^# pass / { p += $3 } /^# fail / { f += $3 }
  END { print p + 0, f + 0 }' "$log")
if [ "$failed" -gt 0 ]; then
  # Repeated at the very end so a CI log's tail names what failed and why (xUnit's "  Failed <test>" blocks).
  echo
  echo "== failed tests"
  awk '/^  Failed [A-Za-z]/ { show = 1; n = 0 } show && n < 25 { print; n++ } /^  (Passed|Skipped) / { show = 0 }' "$log"
  grep -E '^not ok ' "$log" || true
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
phase "done"
echo "$passed passed, $failed failed"
exit $status
