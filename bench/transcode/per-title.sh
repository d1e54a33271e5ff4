#!/usr/bin/env bash
# Per-title versus the fixed ladder, side by side in one run, on four kinds of 1080p25 master (static slides, talking
# head, flat-colour animation, high-motion grain): the worker's own analysis, rung choice and encode command; per rung
# the bytes, real bitrate and SSIM against the master; the analysis' cost against the per-title encode's. Writes
# docs/per-title-ladder.md (tables) and docs/per-title-ladder.png (rate–quality plots).
# Usage: bench/transcode/per-title.sh [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
ensure_debian_packages ffmpeg gnuplot-nox
seconds=${1:-20}
work="$PWD/bench/.work/per-title-$seconds"
mkdir -p "$work"
dotnet build bench/transcode/per-title -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet bench/transcode/per-title/bin/Release/net10.0/OpenCdn.PerTitle.Bench.dll "$work" "$PWD/docs" "$seconds"
