#!/usr/bin/env bash
# Edge serving vs nginx 1.22 (sendfile on), side by side in the same run, alternating A B A B.
# 8 x 200 MB files in page cache, random 1.5 MiB ranges at 32 and 256 connections, 1 KB ranges at 32 connections.
# Each server is pinned to CPU 0, wrk to CPU 1; server CPU time is read from /proc. Prints a markdown table.
# Everything runs in a network namespace of its own whose loopback uses congestion control $BENCH_CC (default cubic,
# Linux's default): with BBR, loopback pacing charges timer-driven sends to whichever process is on the CPU, and
# nginx's own CPU per range varied from 480 to 930 µs between identical runs (docs/benchmarks.md).
#
# BENCH_TLS=http1 measures both over TLS 1.3 instead (one self-signed P-256 certificate, nginx with ssl_buffer_size 16k and a
# shared session cache, wrk over TLS); BENCH_TLS=h2 measures HTTP/2 over TLS with h2load (nghttp2-client), 4 concurrent
# range requests per connection as a player makes them (h2load sends one Range for all requests: a fixed 1.5 MiB or 1 KB
# range at 100 MiB into each of the 8 files, all in page cache; p99 from h2load's per-request log).
#
# Last, 1,000 connections of 1 KB ranges against each server for its RSS; BENCH_RSS_ONLY=1 measures only that.
#
#   [BENCH_CC=cubic|bbr] [BENCH_TLS=http1|h2] [BENCH_RSS_ONLY=1] bench/edge-serving/run.sh [runs=3] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3} seconds=${2:-10} cc=${BENCH_CC:-cubic} tls=${BENCH_TLS:-}
# One namespace and work folder per checkout, so two checkouts can run it at once without meeting.
checkout=$(printf %s "$PWD" | md5sum | cut -c1-8)
work=${BENCH_WORK:-/tmp/opencdn-bench-edge-$checkout}
files=8 size=$((200 * 1024 * 1024))
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v nginx >/dev/null && command -v wrk >/dev/null || { say "Installing nginx-light and wrk"; apt-get install -y -qq nginx-light wrk >/dev/null; }
command -v clang >/dev/null || command -v gcc >/dev/null || { say "Installing clang (links the native edge)"; apt-get install -y -qq clang >/dev/null; }
[ "$tls" != h2 ] || command -v h2load >/dev/null || { say "Installing nghttp2-client (h2load)"; apt-get install -y -qq nghttp2-client >/dev/null; }
case "$tls" in "" | http1 | h2) ;; *) say "BENCH_TLS is http1 or h2, not $tls"; exit 2 ;; esac
scheme=http; [ -z "$tls" ] || scheme=https
mkdir -p "$work/files" "$work/nginx-tmp" "$work/data/content"
ns=opencdn-bench-$checkout
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

say "Publishing the edge (Release, native AOT: the installer's build)"
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
edge_listen=(Urls="http://127.0.0.1:$edge_port") nginx_conf=bench/edge-serving/nginx.conf
if [ -n "$tls" ]; then
  # One self-signed P-256 certificate for both servers: PEM for nginx, PKCS#12 for the edge's Kestrel:Endpoints.
  mkdir -p "$work/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$work/tls/key.pem" -in "$work/tls/cert.pem" -out "$work/tls/edge.pfx" -passout pass:bench
  edge_listen=(Kestrel__Endpoints__Https__Url="https://127.0.0.1:$edge_port" Kestrel__Endpoints__Https__Certificate__Path="$work/tls/edge.pfx"
    Kestrel__Endpoints__Https__Certificate__Password=bench)
  nginx_conf=bench/edge-serving/nginx-tls.conf
fi
sed -e "s#__WORK__#$work#g" -e "s#__PORT__#$nginx_port#g" "$nginx_conf" > "$work/nginx.conf"
"${in_ns[@]}" taskset -c 0 nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" & nginx_pid=$!
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 OpenCdn__Edge__DataFolder="$work/data" OpenCdn__Edge__ScrubBytesPerSecond=0 Logging__LogLevel__Default=Warning \
  env "${edge_listen[@]}" Logging__LogLevel__OpenCdn.Edge.Serving.MemoryTrimmer=Information \
  "${in_ns[@]}" taskset -c 0 "$work/edge/OpenCdn.Edge" >"$work/edge.log" 2>&1 & edge_pid=$!
trap 'kill $nginx_pid $edge_pid 2>/dev/null || true; sleep 1; ip netns del "$ns" 2>/dev/null || true' EXIT
sleep 3
# nginx's master forks the worker that serves: measure the worker.
nginx_worker=$(pgrep -P $nginx_pid | head -1)

for check in "$scheme://127.0.0.1:$nginx_port${nginx_paths[0]}" "$scheme://127.0.0.1:$edge_port${edge_paths[0]}"; do
  for _ in $(seq 1 30); do # a loaded machine starts the edge slowly
    code=$("${in_ns[@]}" curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-1023' "$check" || true)
    [ "$code" = 206 ] && break
    sleep 1
  done
  [ "$code" = 206 ] || { say "$check answered $code"; cat "$work/edge.log"; exit 1; }
done
say "Warming the page cache (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$work"/files/*.mp4 > /dev/null
# Unmeasured warm-up for both servers: the edge's JIT tiers up its hot paths during its first half minute under load, on
# the same pinned core (profiled: the JIT was still half of the edge's user time 15 s in, 8 % at 30 s, gone by 60 s),
# which the first scenario used to measure. The figures are for a server that has been running.
say "Warming up both servers (30 s of 1.5 MiB and 10 s of 1 KB ranges each, not measured)"
# drive CONNS SECONDS LENGTH PORT PATHS... -> "bytes seconds requests p99ms non2xx", from wrk (HTTP/1.1) or h2load (HTTP/2)
drive() {
  local conns=$1 secs=$2 length=$3 port=$4; shift 4
  if [ "$tls" = h2 ]; then
    local from=$((100 * 1024 * 1024)) log=$work/h2load.log uris=() p99 out
    for path in "$@"; do uris+=("https://127.0.0.1:$port$path"); done
    # Never a hang: a connection silent for 10 s is dropped (-N), none lives past the run (-T), and h2load itself is
    # killed 30 s after the run should have ended; a run cut short that way counts as no bytes, not as a stuck script.
    : > "$log"
    out=$("${in_ns[@]}" timeout -k 5 $((secs + 30)) taskset -c 1 h2load -t1 -c"$conns" -m4 -D"$secs" -N10s -T"$((secs + 5))s" \
      --log-file="$log" -H "range: bytes=$from-$((from + length - 1))" "${uris[@]}" || true)
    p99=$(cut -f3 "$log" | sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }')
    printf '%s\n' "$out" | awk -v p99="$p99" '
      /^finished in/ { secs = $3 + 0 }
      /^requests:/ { done = $6 }
      /^status codes:/ { bad = $5 + $7 + $9 }
      /^traffic:/ { gsub(/[()]/, "", $3); bytes = $3 }
      END { printf "%.0f %.2f %d %s %d\n", bytes, secs, done, p99, bad }'
    return
  fi
  # wrk stops at its duration; the timeout only guards against a wrk that cannot (a server that stopped answering).
  { "${in_ns[@]}" timeout -k 5 $((secs + 30)) taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency \
    -s bench/edge-serving/ranges.lua "$scheme://127.0.0.1:$port" -- "$length" "$size" "$@" || true; } |
    awk '
      function bytes(v) { u = substr(v, length(v) - 1); n = v + 0;
        if (u == "GB") return n * 1073741824; if (u == "MB") return n * 1048576; if (u == "KB") return n * 1024; return n }
      function ms(v) { n = v + 0; if (v ~ /us$/) return n / 1000; if (v ~ /ms$/) return n; if (v ~ /s$/) return n * 1000; return n }
      / requests in / { req = $1; secs = $4 + 0; read = bytes($5) }
      / 99% / { p99 = ms($2) }
      /Non-2xx/ { bad = $NF }
      END { printf "%.0f %.2f %d %.2f %d\n", read, secs, req, p99, bad + 0 }'
}

for target in "$nginx_port ${nginx_paths[*]}" "$edge_port ${edge_paths[*]}"; do
  [ -z "${BENCH_RSS_ONLY:-}" ] || break
  set -- $target; port=$1; shift
  for warm in "1572864 30" "1024 10"; do
    read -r length warm_seconds <<<"$warm"
    drive 32 "$warm_seconds" "$length" "$port" "$@" >/dev/null
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Busy ticks of both cores (user, nice, system, irq, softirq): the server, wrk, and the loopback TCP work between them,
# wherever the kernel ran it. Which side pays for a segment's receive processing depends on timing, not on the server.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
anon_kb() { awk '/RssAnon/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# one SERVER PID PORT CONNS LENGTH PATHS... -> "bytes seconds requests p99ms cpu_s non2xx machine_cpu_s"
one() {
  local pid=$2 port=$3 conns=$4 length=$5; shift 5
  local before machine_before out after machine_after
  before=$(cpu_ticks "$pid") machine_before=$(machine_ticks)
  out=$(drive "$conns" "$seconds" "$length" "$port" "$@")
  after=$(cpu_ticks "$pid") machine_after=$(machine_ticks)
  awk -v out="$out" -v cpu="$(( after - before ))" -v machine="$(( machine_after - machine_before ))" -v hz="$hz" \
    'BEGIN { split(out, f, " "); printf "%s %s %s %s %.2f %s %.2f\n", f[1], f[2], f[3], f[4], cpu / hz, f[5], machine / hz }'
}

results=$work/results-$(date -u +%Y%m%dT%H%M%S).txt
: > "$results"
scenarios=("32 1572864" "256 1572864" "32 1024")
[ -z "${BENCH_RSS_ONLY:-}" ] || scenarios=()
for scenario in "${scenarios[@]}"; do
  set -- $scenario
  for run in $(seq 1 "$runs"); do
    say "run $run: $1 connections, $2-byte ranges"
    echo "nginx $1 $2 $(one nginx "$nginx_worker" $nginx_port "$1" "$2" "${nginx_paths[@]}")" >> "$results"
    echo "edge $1 $2 $(one edge "$edge_pid" $edge_port "$1" "$2" "${edge_paths[@]}")" >> "$results"
  done
done
echo "rss_kb nginx $(rss_kb "$nginx_worker") edge $(rss_kb "$edge_pid")" >> "$results"
# 1,000 connections of 1 KB ranges against each server: RSS while they are open (1 s before the end) and 8 s after they
# closed (the edge gives the C heap's free pages back within 5 s of TLS sessions ending). Private (anonymous) memory
# beside it: most of a .NET process's RSS at rest is the runtime's mapped files, shared with any other .NET process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for target in "nginx $nginx_worker $nginx_port ${nginx_paths[*]}" "edge $edge_pid $edge_port ${edge_paths[*]}"; do
  set -- $target; name=$1 pid=$2 port=$3; shift 3
  say "1,000 connections of 1 KB ranges against $name, for its RSS"
  ( sleep $((seconds - 1)); echo "rss1000_open_kb $name $(rss_kb "$pid") $(anon_kb "$pid")" >> "$results" ) & sampler=$!
  drive 1000 "$seconds" 1024 "$port" "$@" >/dev/null
  wait $sampler # not a bare wait: the servers are this shell's children too
  sleep 8
  echo "rss1000_kb $name $(rss_kb "$pid") $(anon_kb "$pid")" >> "$results"
done

# Median per server and scenario, then ratios edge / nginx.
awk '
  $1 == "rss_kb" { rss = sprintf("RSS after the runs: nginx worker %.0f MB, edge %.0f MB", $3 / 1024, $5 / 1024); next }
  $1 == "rss1000_open_kb" { open[$2] = sprintf("%.0f MB (private %.0f MB)", $3 / 1024, $4 / 1024); next }
  $1 == "rss1000_kb" { closed[$2] = sprintf("%.0f MB (private %.0f MB)", $3 / 1024, $4 / 1024); next }
  { rows++; key = $1 " " $2 " " $3; n[key]++; i = n[key]
    gbps[key, i] = $4 / $5 / 1e9; rps[key, i] = $6 / $5; p99[key, i] = $7; percpu[key, i] = ($8 > 0 ? $4 / $8 / 1e9 : 0); bad[key] += $9
    permachine[key, i] = ($10 > 0 ? $4 / $10 / 1e9 : 0) }
  function median(arr, key, count,   i, j, t, v) {
    for (i = 1; i <= count; i++) v[i] = arr[key, i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2 }
  END {
    if (rows) table()
    print rss
    printf "RSS with 1,000 connections of 1 KB ranges open: nginx worker %s, edge %s\n", open["nginx"], open["edge"]
    printf "RSS 8 s after those 1,000 connections closed: nginx worker %s, edge %s\n", closed["nginx"], closed["edge"]
  }
  function table(   s, k, server, key, c, parts) {
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
    print ""
  }' "$results"
# The edge's managed-heap trims after bursts (one aggressive collection each): what they gave back, and their pause.
grep -o 'Open connections fell .*' "$work/edge.log" | sed 's/^/Edge heap trim: /' || true
echo "Loopback congestion control (the benchmark's own network namespace): $cc; protocol: ${tls:-plaintext HTTP/1.1}${tls:+ over TLS 1.3}"
