#!/usr/bin/env bash
# Startup time (playback request -> first frame) over N plays in headless Chromium, measured by the viewer page itself.
# Usage: bench/startup/run.sh [plays]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project bench/startup -- "${1:-20}"
