#!/usr/bin/env bash
# Installs the Debian packages VoicePlatform runs on, if any is missing. Idempotent and quick when nothing is.
#   PostgreSQL, Redis, RabbitMQ (with Erlang's epmd): the backing services AppHost and the tests start themselves.
#   Node.js + npm, openssl: the official-SDK conformance tests (tests/sdk).
#   espeak-ng: spoken test audio generated at test time (tests/sdk/platform).
#   util-linux (setpriv, setsid): PostgreSQL as an unprivileged account under AppHost, and the test fixtures' servers tied to their test process.
#   curl, jq: the shell examples of the README and docs/ (run in CI by tests/sdk/platform).
#   chromium: the headless-browser tests of the Gateway's /docs page and the Aspire Dashboard (Playwright drives the system browser).
#   podman, buildah, runc: the offline container image built and run by infra/images/smoke-test.sh.
#   kubectl: not installed here (see below).
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have_file_glob() { compgen -G "$1" >/dev/null; }

have_file_glob '/usr/lib/postgresql/*/bin/initdb' || have initdb || missing+=(postgresql)
have redis-server || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || have rabbitmq-server || missing+=(rabbitmq-server)
have epmd || [ -x /usr/lib/erlang/bin/epmd ] || missing+=(erlang-base)
have node || missing+=(nodejs)
have npm || missing+=(npm)
have openssl || missing+=(openssl)
have espeak-ng || missing+=(espeak-ng)
have setpriv && have setsid || missing+=(util-linux)
have curl || missing+=(curl)
have jq || missing+=(jq)
have chromium || missing+=(chromium)
# With the networking podman only recommends (installs here skip recommends): netavark + iptables for `podman run -p`.
have podman || missing+=(podman netavark aardvark-dns iptables slirp4netns uidmap)
have buildah || missing+=(buildah)
have runc || missing+=(runc)
# kubectl (with Kustomize 5) is on this project's machine image; Debian's kubernetes-client (1.20) is too old for the
# Kustomize components infra/k8s uses, so there is nothing to install: tests/Infra.Tests fails, saying why, without it.
have kubectl || echo "bootstrap: kubectl is not installed: tests/Infra.Tests will fail (infra/README.md)" >&2

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if have sudo; then sudo="sudo"; else
    echo "bootstrap: missing packages (${missing[*]}) and not root; install them with apt-get as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done"
