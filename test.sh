#!/usr/bin/env bash
# Runs every OpenCdn test: installs the prerequisites (idempotent), builds, runs all test projects.
set -euo pipefail
cd "$(dirname "$0")"
. infra/local/prerequisites.sh

ensure_dotnet
# systemd: systemd-analyze verifies the units; chromium: the web tests; prometheus: promtool checks the alert rules
ensure_debian_packages ca-certificates ffmpeg postgresql systemd chromium prometheus
ensure_node
ensure_npm_packages infra/local
ensure_npm_packages control-plane/web

say "Building"
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly

say "Checking style"
infra/local/check-style.sh

say "Running tests"
log=$(mktemp)
status=0
dotnet test OpenCdn.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit $status
