#!/usr/bin/env bash
# Runs the official-SDK checks of the Gemini Live emulator. The emulator must be built first:
#   dotnet build src/Emulators/GeminiLive [-c Release]   (CONFIGURATION selects Debug/Release; default Debug)
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node --test
