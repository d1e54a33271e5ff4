#!/usr/bin/env bash
# Peer-assisted delivery with N viewers in headless Chromium: edge egress with peers off and on (alternating, same run),
# and the signalling server's CPU per join beside its CPU per playback request.
# Usage: bench/peers/run.sh [viewers] [rounds] [joins]   (default 20 viewers, 3 rounds, 500 joins)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project bench/peers -- "${1:-20}" "${2:-3}" "${3:-500}"
