#!/usr/bin/env bash
# Steering over HTTP at the issue's scale, beside a baseline in the same run (alternating A B A B):
#   10,000 edges, ~500,000 prefixes, 100,000 titles seeded into the control plane's catalog (SQLite + origin files);
#   wrk sends POST /api/v1/playback/{title} from random client addresses (X-Forwarded-For from a trusted proxy);
#   the baseline is the same Kestrel + JWT answering a fixed MPD. Then: session manifests, p99 at 5,000/s (paced wrk),
#   snapshot rebuild after a registration, and memory. Prints a markdown table.
#
#   With INSTANCES=2, a second control plane on the same catalog joins after that, and decisions/s are measured once more
#   with two wrk processes at once: both at instance A (one instance), then one at each (two instances), alternating.
#
#   bench/steering-http/run.sh [runs=3] [seconds=10]
set -euo pipefail
shopt -s inherit_errexit # a failed wrk run inside $(…) fails the benchmark
cd "$(dirname "$0")/../.."
runs=${1:-3} seconds=${2:-10} instances=${INSTANCES:-1}
work=${BENCH_WORK:-/tmp/opencdn-bench-steering}
steering=http://127.0.0.1:5180 baseline=http://127.0.0.1:5181 second=http://127.0.0.1:5182
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
row() { printf '| %s | %s |\n' "$1" "$2"; }

command -v wrk >/dev/null || { say "Installing wrk"; apt-get install -y -qq wrk >/dev/null; }
say "Building (Release)"
dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null
bench="dotnet bench/steering-http/bin/Release/net10.0/OpenCdn.SteeringHttp.Bench.dll"
if [ ! -f "$work/data/requests.txt" ]; then
  say "Seeding $work/data (100,000 titles, 10,000 edges; once)"
  rm -rf "$work/data"
  $bench seed "$work/data" >&2
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
start_control_plane() { # start_control_plane URL LOG → the instance's pid, once it answers
  OpenCdn__DataFolder="$work/data" OpenCdn__Steering__HeartbeatInterval=01:00:00 OpenCdn__Fleet__PlanInterval=01:00:00 \
    OpenCdn__Playback__TrustedProxies__0=127.0.0.1 Logging__LogLevel__Default=Warning \
    dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll \
    --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" --urls "$1" >"$2" 2>&1 &
  local pid=$!
  until curl -fsS "$1/healthz" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { cat "$2" >&2; return 1; }
    sleep 0.2
  done
  echo $pid
}
say "Starting the control plane on the seeded catalog"
started=$(date +%s.%N)
cp_pid=$(start_control_plane "$steering" "$work/control-plane.log")
pids+=($cp_pid)
load_s=$(echo "$(date +%s.%N) - $started" | bc)
$bench baseline "$work/data" "$baseline" >"$work/baseline.log" 2>&1 &
base_pid=$!
pids+=($base_pid)
until curl -s -o /dev/null "$baseline/"; do sleep 0.2; done

password=$(awk '$1 == "viewer" {print $2}' "$work/data/initial-credentials.txt")
token=$(curl -fsS -X POST "$steering/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"viewer\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
rss_mb() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$cp_pid/status) / 1024 )); }
metric() { curl -fsS "$steering/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
rss_loaded=$(rss_mb)

# wrk pinned to CPU 1; the servers share the machine as they would in production (no pinning).
wrk_report() { # wrk_report URL SCRIPT SECONDS [wrk options...] → wrk's report; non-2xx answers fail the run
  local url=$1 script=$2 secs=$3 out; shift 3
  out=$(REQUESTS="$work/data/requests.txt" PATHS="$work/paths.txt" TOKEN="$token" \
    taskset -c 1 wrk -t1 -c64 -d"$secs"s "$@" -s "bench/steering-http/$script" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; return 1; fi
  printf '%s\n' "$out"
}
drive() { # drive URL SCRIPT SECONDS [PID] → requests/s, or "requests/s µs" with the server's CPU µs per request
  local out ticks0 ticks1
  [ -z "${4:-}" ] || ticks0=$(awk '{print $14 + $15}' "/proc/$4/stat")
  out=$(wrk_report "$1" "$2" "$3")
  [ -z "${4:-}" ] || ticks1=$(awk '{print $14 + $15}' "/proc/$4/stat")
  awk -v cpu="${ticks1:-0}" -v cpu0="${ticks0:-0}" -v hz="$(getconf CLK_TCK)" -v secs="$3" -v pid="${4:-}" \
    '/Requests\/sec/ {r = $2} END {if (pid == "") print r; else printf "%s %.0f\n", r, (cpu - cpu0) / hz * 1e6 / (r * secs)}' <<<"$out"
}
say "Warming up"
drive "$steering" playback.lua 8 >/dev/null
drive "$baseline" playback.lua 8 >/dev/null
say "Measuring: $runs × (steering, baseline), ${seconds}s each; load $(cut -d' ' -f1-3 /proc/loadavg)"
steer=() base=() steer_cpu=() base_cpu=()
for _ in $(seq 1 "$runs"); do
  measured=$(drive "$steering" playback.lua "$seconds" "$cp_pid"); read -r rate cpu <<<"$measured"; steer+=("$rate") steer_cpu+=("$cpu")
  measured=$(drive "$baseline" playback.lua "$seconds" "$base_pid"); read -r rate cpu <<<"$measured"; base+=("$rate") base_cpu+=("$cpu")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
s=$(median "${steer[@]}") b=$(median "${base[@]}")

say "Session manifests"
$bench sessions "$steering" "$token" "$work/data/requests.txt" 2000 "$work/paths.txt"
manifests=$(drive "$steering" paths.lua "$seconds")

say "Latency at 5,000 requests/s (64 connections, Poisson arrivals)"
paced() { # paced URL → "achieved/s, p50 / p90 / p99"
  local out
  out=$(RATE=5000 CONNECTIONS=64 wrk_report "$1" playback.lua "$seconds" --latency)
  awk '/Requests\/sec/ {r = $2} /^ +50%/ {p50 = $2} /^ +90%/ {p90 = $2} /^ +99%/ {p99 = $2}
    END {printf "%.0f/s achieved, p50 %s, p90 %s, p99 %s", r, p50, p90, p99}' <<<"$out"
}
latency=$(paced "$steering") latency_base=$(paced "$baseline")

say "Snapshot rebuild after a registration"
sum0=$(metric opencdn_steering_snapshot_build_seconds_sum) count0=$(metric opencdn_steering_snapshot_build_seconds_count)
admin_password=$(awk '$1 == "admin" {print $2}' "$work/data/initial-credentials.txt")
admin=$(curl -fsS -X POST "$steering/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
bootstrap=$(curl -fsS -X POST "$steering/api/v1/edges/bootstrap-tokens" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  -d '{"uses":1}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -fsS -o /dev/null -X POST "$steering/api/v1/edges/register" -H "authorization: Bearer $bootstrap" -H 'content-type: application/json' \
  -d '{"name":"bench-new","publicUrl":"https://new.cdn.example/","siteKind":"embedded","isp":"isp1","clientPrefixes":["203.0.113.0/24"],"diskCapacityBytes":1000000000000,"egressCapacityBitsPerSecond":10000000000,"fillWindow":{"start":"02:00:00","end":"14:00:00","timeZone":"UTC"},"fillRateBytesPerSecond":0}'
until [ "$(metric opencdn_steering_snapshot_build_seconds_count)" != "$count0" ]; do sleep 0.2; done
rebuild_ms=$(echo "($(metric opencdn_steering_snapshot_build_seconds_sum) - $sum0) * 1000" | bc -l | xargs printf '%.0f')

echo
echo "Steering over HTTP, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
echo
row "catalog loaded at start (10,000 edges, 495,000 prefixes, 100,000 titles)" "$(printf '%.1f' "$load_s") s"
row "playback decisions/s (POST, with token and session), median of $runs" "$s (runs: ${steer[*]})"
row "baseline: same Kestrel + JWT, fixed MPD, median of $runs" "$b (runs: ${base[*]})"
row "steering / baseline" "$(echo "$s / $b" | bc -l | xargs printf '%.2f')×"
row "server CPU per request: steering / baseline, median" "$(median "${steer_cpu[@]}") µs / $(median "${base_cpu[@]}") µs"
row "session manifests/s (GET, MPD rendered per session)" "$manifests"
row "at 5,000/s offered: steering" "$latency"
row "at 5,000/s offered: baseline" "$latency_base"
row "snapshot rebuild after a registration" "$rebuild_ms ms"
row "control-plane RSS after load / after the runs" "$rss_loaded MB / $(rss_mb) MB"

[ "$instances" = 2 ] || exit 0
say "A second instance on the same catalog"
pids+=($(start_control_plane "$second" "$work/control-plane-2.log"))
pair() { # pair URL1 URL2 → decisions/s of two wrk processes at once, summed
  local a b
  drive "$1" playback.lua "$seconds" >"$work/pair-a" & a=$!
  drive "$2" playback.lua "$seconds" >"$work/pair-b" & b=$!
  wait $a $b
  echo "$(cat "$work/pair-a") + $(cat "$work/pair-b")" | bc -l | xargs printf '%.0f'
}
pair "$steering" "$second" >/dev/null # warm-up
one=() two=()
for _ in $(seq 1 "$runs"); do
  one+=("$(pair "$steering" "$steering")")
  two+=("$(pair "$steering" "$second")")
done
row "two wrk at one instance, decisions/s, median of $runs" "$(median "${one[@]}") (runs: ${one[*]})"
row "two wrk, one at each of two instances, median of $runs" "$(median "${two[@]}") (runs: ${two[*]})"
row "two instances / one" "$(echo "$(median "${two[@]}") / $(median "${one[@]}")" | bc -l | xargs printf '%.2f')×"
