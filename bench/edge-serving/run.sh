#!/usr/bin/env bash
# Edge serving vs nginx 1.22 (sendfile on), side by side in the same run, alternating A B A B.
# 8 x 200 MB files in page cache, random 1.5 MiB ranges at 32 and 256 connections, 1 KB ranges at 32 connections.
# Each server is pinned to CPU 0, wrk to CPU 1; server CPU time is read from /proc. Prints a markdown table.
# Everything runs in a network namespace of its own whose loopback uses congestion control $BENCH_CC (default cubic,
# Linux's default): with BBR, loopback pacing charges timer-driven sends to whichever process is on the CPU, and
# nginx's own CPU per range varied from 480 to 930 µs between identical runs (docs/benchmarks.md).
#
#   [BENCH_CC=cubic|bbr] bench/edge-serving/run.sh [runs=3] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3} seconds=${2:-10} cc=${BENCH_CC:-cubic}
work=${BENCH_WORK:-/tmp/opencdn-bench-edge}
files=8 size=$((200 * 1024 * 1024))
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v nginx >/dev/null && command -v wrk >/dev/null || { say "Installing nginx-light and wrk"; apt-get install -y -qq nginx-light wrk >/dev/null; }
mkdir -p "$work/files" "$work/nginx-tmp" "$work/data/content"
ns=opencdn-bench-edge
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
ip -n "$ns" link set lo up
# A container may not let the namespace change it: then the benchmark says so and runs with what the namespace has.
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$cc" 2>/dev/null \
  || say "Could not set the loopback congestion control to $cc; running with $(ip netns exec "$ns" cat /proc/sys/net/ipv4/tcp_congestion_control)"
cc=$(ip netns exec "$ns" cat /proc/sys/net/ipv4/tcp_congestion_control)
in_ns=(ip netns exec "$ns") # an array, not a function: `ip netns exec` execs, so $! stays the server's PID

say "Preparing $files x 200 MB files"
for i in $(seq 1 $files); do
  f=$work/files/f$i.mp4
  [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" = $size ] || head -c $size /dev/urandom > "$f"
done

say "Publishing the edge (Release)"
dotnet publish edge-appliance/OpenCdn.Edge -c Release -o "$work/edge" --artifacts-path "$work/artifacts" -nologo -clp:ErrorsOnly -v:quiet >/dev/null

# The edge's data folder: the same files (hard links: one page cache), a catalog, and one signing key.
key_hex=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
key_b64=$(printf '%s' "$key_hex" | xxd -r -p | base64 -w0)
printf '[{"id":"bench","secret":"%s","notAfter":"2100-01-01T00:00:00+00:00"}]' "$key_b64" > "$work/data/keys.json"
catalog="[" edge_paths=() nginx_paths=()
for i in $(seq 1 $files); do
  mkdir -p "$work/data/content/bench$i/v1"
  ln -f "$work/files/f$i.mp4" "$work/data/content/bench$i/v1/video.mp4"
  sha=$(sha256sum "$work/files/f$i.mp4" | cut -d' ' -f1)
  catalog+="{\"titleId\":\"bench$i\",\"version\":1,\"file\":\"video.mp4\",\"size\":$size,\"sha256\":\"$sha\",\"verifiedAt\":\"2026-01-01T00:00:00+00:00\"},"
  sig=$(printf 'bench|4102444800|bench%s' "$i" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64 -w0 | tr '+/' '-_' | tr -d '=')
  edge_paths+=("/c/bench.4102444800.$sig/bench$i/v1/video.mp4")
  nginx_paths+=("/f$i.mp4")
done
printf '%s]' "${catalog%,}" > "$work/data/catalog.json"

nginx_port=18481 edge_port=18482
sed -e "s#__WORK__#$work#g" -e "s#__PORT__#$nginx_port#g" bench/edge-serving/nginx.conf > "$work/nginx.conf"
"${in_ns[@]}" taskset -c 0 nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" & nginx_pid=$!
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 OpenCdn__Edge__DataFolder="$work/data" OpenCdn__Edge__ScrubBytesPerSecond=0 Logging__LogLevel__Default=Warning \
  Urls="http://127.0.0.1:$edge_port" "${in_ns[@]}" taskset -c 0 "$work/edge/OpenCdn.Edge" >"$work/edge.log" 2>&1 & edge_pid=$!
trap 'kill $nginx_pid $edge_pid 2>/dev/null || true; sleep 1; ip netns del "$ns" 2>/dev/null || true' EXIT
sleep 3
# nginx's master forks the worker that serves: measure the worker.
nginx_worker=$(pgrep -P $nginx_pid | head -1)

for check in "http://127.0.0.1:$nginx_port${nginx_paths[0]}" "http://127.0.0.1:$edge_port${edge_paths[0]}"; do
  code=$("${in_ns[@]}" curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-1023' "$check")
  [ "$code" = 206 ] || { say "$check answered $code"; cat "$work/edge.log"; exit 1; }
done
say "Warming the page cache (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$work"/files/*.mp4 > /dev/null
# Unmeasured warm-up for both servers: the edge's JIT tiers up its hot paths during its first half minute under load, on
# the same pinned core (profiled: the JIT was still half of the edge's user time 15 s in, 8 % at 30 s, gone by 60 s),
# which the first scenario used to measure. The figures are for a server that has been running.
say "Warming up both servers (30 s of 1.5 MiB and 10 s of 1 KB ranges each, not measured)"
for target in "$nginx_port ${nginx_paths[*]}" "$edge_port ${edge_paths[*]}"; do
  set -- $target; port=$1; shift
  for warm in "1572864 30" "1024 10"; do
    read -r length warm_seconds <<<"$warm"
    "${in_ns[@]}" taskset -c 1 wrk -t1 -c32 -d"${warm_seconds}s" -s bench/edge-serving/ranges.lua "http://127.0.0.1:$port" -- "$length" "$size" "$@" >/dev/null
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Busy ticks of both cores (user, nice, system, irq, softirq): the server, wrk, and the loopback TCP work between them,
# wherever the kernel ran it. Which side pays for a segment's receive processing depends on timing, not on the server.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# one SERVER PID PORT CONNS LENGTH PATHS... -> "bytes seconds requests p99ms cpu_s non2xx machine_cpu_s"
one() {
  local pid=$2 port=$3 conns=$4 length=$5; shift 5
  local before machine_before out after machine_after
  before=$(cpu_ticks "$pid") machine_before=$(machine_ticks)
  out=$("${in_ns[@]}" taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency -s bench/edge-serving/ranges.lua "http://127.0.0.1:$port" -- "$length" "$size" "$@")
  after=$(cpu_ticks "$pid") machine_after=$(machine_ticks)
  printf '%s\n' "$out" | awk -v cpu="$(( after - before ))" -v machine="$(( machine_after - machine_before ))" -v hz="$hz" '
    function bytes(v) { u = substr(v, length(v) - 1); n = v + 0;
      if (u == "GB") return n * 1073741824; if (u == "MB") return n * 1048576; if (u == "KB") return n * 1024; return n }
    function ms(v) { n = v + 0; if (v ~ /us$/) return n / 1000; if (v ~ /ms$/) return n; if (v ~ /s$/) return n * 1000; return n }
    / requests in / { req = $1; secs = $4 + 0; read = bytes($5) }
    / 99% / { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %d %.2f %.2f %d %.2f\n", read, secs, req, p99, cpu / hz, bad + 0, machine / hz }'
}

results=$work/results-$(date -u +%Y%m%dT%H%M%S).txt
: > "$results"
for scenario in "32 1572864" "256 1572864" "32 1024"; do
  set -- $scenario
  for run in $(seq 1 "$runs"); do
    say "run $run: $1 connections, $2-byte ranges"
    echo "nginx $1 $2 $(one nginx "$nginx_worker" $nginx_port "$1" "$2" "${nginx_paths[@]}")" >> "$results"
    echo "edge $1 $2 $(one edge "$edge_pid" $edge_port "$1" "$2" "${edge_paths[@]}")" >> "$results"
  done
done
echo "rss_kb nginx $(rss_kb "$nginx_worker") edge $(rss_kb "$edge_pid")" >> "$results"
say "1,000 connections of 1 KB ranges against the edge, for its RSS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"${in_ns[@]}" taskset -c 1 wrk -t1 -c1000 -d"${seconds}s" -s bench/edge-serving/ranges.lua "http://127.0.0.1:$edge_port" -- 1024 "$size" "${edge_paths[@]}" >/dev/null
echo "rss1000_kb edge $(rss_kb "$edge_pid")" >> "$results"

# Median per server and scenario, then ratios edge / nginx.
awk '
  $1 == "rss_kb" { rss = sprintf("RSS after the runs: nginx worker %.0f MB, edge %.0f MB", $3 / 1024, $5 / 1024); next }
  $1 == "rss1000_kb" { rss1000 = sprintf("Edge RSS after 1,000 connections of 1 KB ranges: %.0f MB", $3 / 1024); next }
  { key = $1 " " $2 " " $3; n[key]++; i = n[key]
    gbps[key, i] = $4 / $5 / 1e9; rps[key, i] = $6 / $5; p99[key, i] = $7; percpu[key, i] = ($8 > 0 ? $4 / $8 / 1e9 : 0); bad[key] += $9
    permachine[key, i] = ($10 > 0 ? $4 / $10 / 1e9 : 0) }
  function median(arr, key, count,   i, j, t, v) {
    for (i = 1; i <= count; i++) v[i] = arr[key, i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2 }
  END {
    print "| connections | range | server | GB/s | req/s | p99 ms | GB per server CPU-s | GB per machine CPU-s | non-2xx |"
    print "|---|---|---|---|---|---|---|---|---|"
    split("32 1572864,256 1572864,32 1024", scenarios, ",")
    for (s = 1; s <= 3; s++) for (k = 1; k <= 2; k++) {
      server = k == 1 ? "nginx" : "edge"; key = server " " scenarios[s]; c = n[key]
      split(scenarios[s], parts, " ")
      g[server] = median(gbps, key, c); r[server] = median(rps, key, c); p[server] = median(p99, key, c); u[server] = median(percpu, key, c)
      m[server] = median(permachine, key, c)
      printf "| %s | %s | %s | %.2f | %.0f | %.1f | %.2f | %.2f | %d |\n", parts[1], parts[2] == 1024 ? "1 KB" : "1.5 MiB", server, g[server], r[server], p[server], u[server], m[server], bad[key]
      if (k == 2) printf "| | | **edge / nginx** | **%.2f×** | **%.2f×** | %.2f× | **%.2f×** | **%.2f×** | |\n", g["edge"] / g["nginx"], r["edge"] / r["nginx"], p["edge"] / p["nginx"], (u["nginx"] > 0 ? u["edge"] / u["nginx"] : 0), (m["nginx"] > 0 ? m["edge"] / m["nginx"] : 0)
    }
    print ""; print rss; print rss1000
  }' "$results"
echo "Loopback congestion control (the benchmark's own network namespace): $cc"
