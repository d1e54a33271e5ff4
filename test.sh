#!/usr/bin/env bash
# Runs every OpenCdn test: installs the prerequisites (idempotent), builds, runs all test projects.
set -euo pipefail
cd "$(dirname "$0")"
. infra/local/prerequisites.sh

ensure_dotnet
# systemd: systemd-analyze verifies the units; chromium: the web tests; prometheus: promtool checks the alert rules;
# clang: links the edge's native executable (the installer test); curl: an independent HTTP/2 client for the edge's own HTTP/2
ensure_debian_packages ca-certificates ffmpeg postgresql systemd chromium prometheus clang curl
ensure_node
ensure_npm_packages infra/local
ensure_npm_packages control-plane/web

say "Building"
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly

say "Checking style"
infra/local/check-style.sh

say "Running tests"
# One test assembly per core at a time (as `dotnet test` on the solution did), the longest first: in the solution's order
# the browser tests started last and ran alone at the end. The order is by run time on a 2-core machine; test projects
# not named here run after these.
longest_first=(Web Ingest ControlPlane Infra Edge Cli Platform Steering FleetSim Contracts)
projects=()
for name in "${longest_first[@]}"; do
  if [ -d "tests/OpenCdn.$name.Tests" ]; then projects+=("tests/OpenCdn.$name.Tests"); fi
done
for csproj in tests/*/*.Tests.csproj; do
  folder=$(dirname "$csproj")
  if [[ " ${projects[*]} " != *" $folder "* ]]; then projects+=("$folder"); fi
done
log=$(mktemp)
status=0
printf '%s\n' "${projects[@]}" | xargs -P "$(nproc)" -I {} dotnet test {} -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit $status
