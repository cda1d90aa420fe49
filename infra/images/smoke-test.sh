#!/usr/bin/env bash
# Proves the offline image path end to end: builds one image with build-offline.sh (default: the Gemini Live
# emulator, which needs no backing services), runs it with podman under the same restrictions as its Kubernetes
# Deployment (non-root, read-only root filesystem with a writable /tmp, no capabilities, no privilege escalation),
# waits for /alive on the management port, then stops it with SIGTERM and checks that it exited cleanly.
#   infra/images/smoke-test.sh [project directory]
set -euo pipefail
cd "$(dirname "$0")/../.."
project=${1:-src/Emulators/GeminiLive}
export CONTAINERS_CONF="$PWD/infra/images/containers.conf"
command -v podman >/dev/null || { echo "smoke-test: podman is not installed (apt-get install -y podman buildah runc)" >&2; exit 1; }

started=$(date +%s)
image=$(infra/images/build-offline.sh "$project" | tail -1)
built=$(date +%s)
echo "smoke-test: built $image in $((built - started)) s"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
container=$(podman run --detach --read-only --tmpfs /tmp:rw,size=256m --cap-drop ALL --security-opt no-new-privileges \
  --user 1654:1654 --env Management__Port=8090 --publish "127.0.0.1:$port:8090" "$image")
cleanup() { podman rm --force --time 0 "$container" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# Poll /alive (up to 60 s): the answer, not a fixed wait, says the process is up.
deadline=$(( $(date +%s) + 60 ))
until body=$(curl --silent --fail --max-time 2 "http://127.0.0.1:$port/alive"); do
  if [ "$(date +%s)" -ge "$deadline" ] || [ "$(podman inspect --format '{{.State.Running}}' "$container")" != "true" ]; then
    echo "smoke-test: /alive did not answer; container log:" >&2
    podman logs "$container" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "smoke-test: /alive answered $body"
[[ "$body" == *'"status":"Healthy"'* ]] || { echo "smoke-test: /alive is not Healthy" >&2; exit 1; }

# SIGTERM, as the kubelet sends after preStop: the host must stop on its own, well inside the grace period.
podman stop --time 30 "$container" >/dev/null
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
[ "$exit_code" = "0" ] || { echo "smoke-test: exited $exit_code after SIGTERM" >&2; podman logs "$container" >&2; exit 1; }
echo "smoke-test: stopped cleanly on SIGTERM; $image passed in $(( $(date +%s) - started )) s"
