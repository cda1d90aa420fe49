#!/usr/bin/env bash
# Official-SDK proof for the whole platform: the openai npm SDK, pointed at the Gateway, holds realtime conversations
# with every model family (OpenAI and Gemini through the Router). Starts the real AppHost itself (temporary state
# directory, free ports) and stops it with SIGTERM. Needs the solution built first (dotnet build AppHost
# [-c $CONFIGURATION]; scripts/test.sh does it), node, npm, espeak-ng and the backing packages (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node --test
