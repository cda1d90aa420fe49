#!/usr/bin/env bash
# The relay benchmark with a third path: Portkey's gateway (a one-hop Node relay) beside the platform and the direct
# path, every path against the same OpenAI emulator behaviour (loopback echo), measured one after another per step.
#
#   bash bench/PortkeyRelay/side-by-side.sh --sessions 50,150,300 --duration 20s
#
# Extra arguments go to bench/RelayBenchmark. Needs root (port 443 and /etc/hosts) and a Release build:
#   dotnet build AppHost -c Release && dotnet build bench/RelayBenchmark -c Release
#
# Portkey's realtime route ignores custom hosts and always dials wss://api.openai.com/v1/realtime. So for the run:
#   - api.openai.com resolves to 127.0.0.1 (/etc/hosts; restored on exit, however the script ends);
#   - a second OpenAI emulator serves TLS on 127.0.0.1:443 with a certificate from a throw-away local CA;
#   - Portkey trusts that CA (NODE_EXTRA_CA_CERTS), and nothing else does.
# The platform and the direct path use the AppHost's plain emulator, as in every relay run; the note in
# bench/README.md says what the TLS hop costs Portkey.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
portkey_port="${PORTKEY_PORT:-8787}"
emulator_dll="$root/src/Emulators/OpenAIRealtime/bin/Release/net10.0/VoicePlatform.Emulators.OpenAIRealtime.dll"

[ "$(id -u)" -eq 0 ] || { echo "side-by-side.sh needs root: it binds 127.0.0.1:443 and maps api.openai.com in /etc/hosts" >&2; exit 1; }
[ -f "$emulator_dll" ] || { echo "no Release build of the emulator: run dotnet build AppHost -c Release" >&2; exit 1; }
if ss -ltn | awk '{print $4}' | grep -qE '(^|:)443$'; then echo "port 443 is in use" >&2; exit 1; fi

(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)

work="$(mktemp -d)"
pids=()
hosts_backup="$work/hosts"
cp /etc/hosts "$hosts_backup"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  cat "$hosts_backup" > /etc/hosts   # in place: /etc/hosts may be a bind mount
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A local CA and a certificate for api.openai.com signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=VoicePlatform bench CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=api.openai.com" -keyout "$work/upstream.key" -out "$work/upstream.csr" 2>/dev/null
printf 'subjectAltName=DNS:api.openai.com\nextendedKeyUsage=serverAuth\n' > "$work/upstream.ext"
openssl x509 -req -in "$work/upstream.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/upstream.ext" -out "$work/upstream.pem" 2>/dev/null

echo "127.0.0.1 api.openai.com" >> /etc/hosts

# The TLS copy of the emulator Portkey dials.
Kestrel__Certificates__Default__Path="$work/upstream.pem" Kestrel__Certificates__Default__KeyPath="$work/upstream.key" \
  Logging__LogLevel__Default=Warning \
  dotnet "$emulator_dll" --urls "https://127.0.0.1:443" > "$work/emulator.log" 2>&1 &
pids+=($!)
tls_emulator=$!

NODE_EXTRA_CA_CERTS="$work/ca.pem" node "$here/node_modules/@portkey-ai/gateway/build/start-server.js" \
  --port="$portkey_port" --headless > "$work/portkey.log" 2>&1 &
pids+=($!)
portkey=$!

for _ in $(seq 1 100); do
  if ss -ltn | awk '{print $4}' | grep -qE "(^|:)443$" && ss -ltn | awk '{print $4}' | grep -qE "(^|:)$portkey_port$"; then break; fi
  kill -0 "$tls_emulator" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  kill -0 "$portkey" 2>/dev/null || { cat "$work/portkey.log" >&2; exit 1; }
  sleep 0.2
done
echo "portkey pid $portkey on :$portkey_port, TLS emulator pid $tls_emulator on 127.0.0.1:443 (as api.openai.com)"

cd "$root"
status=0
dotnet run --project bench/RelayBenchmark -c Release --no-build -- \
  --paths direct,portkey,platform --mode sequential \
  --portkey "ws://127.0.0.1:$portkey_port" --portkey-pid "$portkey" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- portkey log (tail)"; tail -20 "$work/portkey.log"
  echo "--- TLS emulator log (tail)"; tail -20 "$work/emulator.log"
fi
exit "$status"
