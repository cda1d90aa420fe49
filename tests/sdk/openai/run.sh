#!/usr/bin/env bash
# Official-SDK proof for the OpenAI Realtime emulator. Needs the emulator built first
# (dotnet build src/Emulators/OpenAIRealtime [-c $CONFIGURATION]), node, npm and openssl.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node --test
