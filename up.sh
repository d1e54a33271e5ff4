#!/usr/bin/env bash
# Brings OpenCdn up on this machine on embedded defaults (files, SQLite, a local queue) and prints the URL to open.
# Data lives in ./data; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
. infra/local/prerequisites.sh

ensure_dotnet

say "Building"
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly

data="$PWD/data"
mkdir -p "$data/logs"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

say "Starting the control plane"
OpenCdn__DataFolder="$data/control-plane" \
  dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll \
  --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" >"$data/logs/control-plane.log" 2>&1 &
pids+=($!)

url=http://127.0.0.1:5080
for _ in $(seq 1 60); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$url/healthz" >/dev/null || { echo "The control plane did not start; see $data/logs/control-plane.log" >&2; exit 1; }

say "OpenCdn is up"
echo "  Open: $url/"
echo "  Logs: $data/logs/"
echo "  Stop: Ctrl-C"
wait
