#!/usr/bin/env bash
# Chunked parallel encoding: one 1080p30 master (4 minutes by default) through the real control plane and workers,
#   A: the single pass on 1 worker process pinned to CPU 0 (taskset), chunking off — today's encode on one core;
#   B: chunked on 2 worker processes, pinned to CPU 0 and CPU 1 — the same title spread over the queue;
# alternating A B for RUNS rounds. Prints each run, the medians, the wall-time ratio A/B (goal >= 1.7), the assembly
# share of B's wall time (goal <= 5 %), the measured cost per chunk, the queue overhead per part, and the projected
# wall time of a 2-hour film on 50 workers from those figures.
# Usage: bench/transcode/chunked.sh [RUNS=3]     DURATION=240 (master seconds)   CHUNK=20 (chunk seconds, a multiple of 4)
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
runs=${1:-3}
duration=${DURATION:-240}
chunk=${CHUNK:-20}
ensure_debian_packages ffmpeg curl python3 util-linux
work="$PWD/bench/.work/chunked"
mkdir -p "$work"
master="$work/master-1080p30-${duration}s.mp4"
if [ ! -f "$master" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$duration" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$duration,aformat=channel_layouts=stereo" \
    -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k "$master"
fi

dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
data="$work/platform"
rm -rf "$data"
export OpenCdn__DataFolder="$data" url="http://127.0.0.1:5098"
dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" \
  --urls "$url" >"$work/control-plane.log" 2>&1 &
cp_pid=$!
workers=()
stop_workers() { for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; workers=(); }
trap 'stop_workers; kill $cp_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
password=$(awk '$1 == "admin" {print $2}' "$data/initial-credentials.txt")

# start_workers THRESHOLD CPU...: one worker per CPU, pinned, its log in $work/worker-CPU.log (truncated).
start_workers() {
  local threshold=$1 cpu; shift
  for cpu in "$@"; do
    OpenCdn__Ingest__Chunking__ThresholdSeconds=$threshold OpenCdn__Ingest__Chunking__ChunkSeconds=$chunk \
      taskset -c "$cpu" dotnet ingest/OpenCdn.Ingest/bin/Release/net10.0/OpenCdn.Ingest.dll >"$work/worker-$cpu.log" 2>&1 &
    workers+=($!)
  done
  for cpu in "$@"; do
    for _ in $(seq 1 120); do grep -q "waiting for transcode jobs" "$work/worker-$cpu.log" && break; sleep 0.5; done
  done
}

# encode: uploads the master, waits until ready; prints the seconds from queued to ready (the server's updatedAt).
encode() {
  local token id upload_url location t0 title
  token=$(curl -fsS -X POST "$url/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  read -r id upload_url < <(curl -fsS -X POST "$url/api/v1/titles" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"name":"bench"}' | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["id"], t["uploadUrl"])')
  location=$(curl -fsS -D - -o /dev/null -X POST "$url$upload_url" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $(stat -c %s "$master")" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
  curl -fsS -o /dev/null -X PATCH "$url$location" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H 'Upload-Offset: 0' -H 'content-type: application/offset+octet-stream' --data-binary "@$master"
  t0=$(date +%s.%N)
  until title=$(curl -fsS "$url/api/v1/titles/$id" -H "authorization: Bearer $token") && grep -qE '"status":"(ready|failed)"' <<<"$title"; do
    sleep 1
  done
  grep -q '"status":"ready"' <<<"$title" || { echo "bench title failed: $title" >&2; exit 1; }
  python3 -c 'import json,sys,datetime; t=json.loads(sys.argv[1]); print(datetime.datetime.fromisoformat(t["updatedAt"]).timestamp() - float(sys.argv[2]))' "$title" "$t0"
}

# The chunked run's figures from the workers' logs: assembly seconds, video part seconds (each), tracks part seconds.
parts_of() { cat "$work"/worker-*.log | python3 -c '
import re,sys
text=sys.stdin.read()
assembly=[float(m) for m in re.findall(r"published in ([0-9.]+) s", text)]
video=[float(s) for p,s in re.findall(r"part (c\d+) done \(\d+ of \d+\) in ([0-9.]+) s", text)]
tracks=[float(s) for s in re.findall(r"part tracks done \(\d+ of \d+\) in ([0-9.]+) s", text)]
print(assembly[-1] if assembly else 0, len(video), sum(video), tracks[-1] if tracks else 0)'; }

a_times=() b_times=() rows=()
for round in $(seq 1 "$runs"); do
  start_workers 0 0
  a=$(encode); stop_workers
  start_workers "$chunk" 0 1
  b=$(encode); read -r assembly chunks video_sum tracks < <(parts_of); stop_workers
  a_times+=("$a") b_times+=("$b") rows+=("$b $assembly $chunks $video_sum $tracks")
  printf 'round %d: A single pass, 1 worker on 1 core %.1f s | B chunked (%d x %d s), 2 workers on 2 cores %.1f s (assembly %.1f s, video parts %.1f s in all, tracks part %.1f s)\n' \
    "$round" "$a" "$chunks" "$chunk" "$b" "$assembly" "$video_sum" "$tracks"
done

python3 - "$duration" "$chunk" "${a_times[*]}" "${rows[@]}" <<'PY'
import math, statistics, sys
duration, chunk = float(sys.argv[1]), float(sys.argv[2])
a = [float(x) for x in sys.argv[3].split()]
rows = [[float(x) for x in r.split()] for r in sys.argv[4:]]
b = [r[0] for r in rows]
ma, mb = statistics.median(a), statistics.median(b)
mid = sorted(rows, key=lambda r: r[0])[len(rows) // 2]
wall, assembly, chunks, video_sum, tracks = mid
per_chunk = video_sum / chunks                      # fetch + probe + encode + upload of one chunk, one core
parts = chunks + 1
# What the two workers spent outside the parts and the assembly, per part: queue waits, planning, polling.
overhead = max(0.0, (2 * wall - video_sum - tracks - assembly) / parts)
print(f"median A {ma:.1f} s, median B {mb:.1f} s: B is {ma / mb:.2f}x faster (goal >= 1.7x)")
print(f"assembly {assembly:.1f} s = {100 * assembly / wall:.1f} % of B's wall time (goal <= 5 %)")
print(f"per chunk of {chunk:.0f} s at 1080p: {per_chunk:.1f} s on one core; queue and planning overhead ~{overhead:.1f} s per part")
film, fleet = 7200.0, 50
n = math.ceil(film / chunk)
waves = math.ceil(n / fleet)
scale = film / duration
video = waves * (per_chunk + overhead)
tracks_film = tracks * scale                        # the tracks part is one job over the whole film, beside the chunks
assembly_film = assembly * scale
print(f"projected 2-hour film on {fleet} workers: {n} chunks in {waves} waves -> video {video:.0f} s, tracks part {tracks_film:.0f} s "
      f"in parallel, assembly {assembly_film:.0f} s: about {max(video, tracks_film) + assembly_film:.0f} s "
      f"({(max(video, tracks_film) + assembly_film) / 60:.1f} min); A's single pass would take ~{ma * scale / 60:.0f} min")
PY
