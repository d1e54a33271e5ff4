#!/usr/bin/env bash
# Chunked parallel encoding: one 1080p30 master (4 minutes by default) through the real control plane and workers,
#   A: the single pass on 1 worker process pinned to CPU 0 (taskset), chunking off — today's encode on one core;
#   B: chunked on 2 worker processes, pinned to CPU 0 and CPU 1 — the same title spread over the queue;
# alternating A B for RUNS rounds. Prints each run with B's breakdown (serial head: fetch, probe and per-title analysis;
# the parts: master, encode, upload; the workers' idle time and the queue gap between parts; the tail: assembly), the
# medians, the wall-time ratio A/B (goal >= 1.7), the assembly share of B's wall time (goal <= 5 %), and the projected
# wall time of a 2-hour film on 50 workers from those figures. Each round also times the reference, plain ffmpeg
# encoding one chunk to the fixed ladder alone on 1 core and two at once on 2 cores: the speed-up two cores give here.
# Usage: bench/transcode/chunked.sh [RUNS=3]     DURATION=240 (master seconds)   CHUNK=20 (chunk seconds, a multiple of 4)
#        ONLY_B=1: skip A (no ratio; B's breakdown and the projection only, for a quick look)
#        PORT=5098: the control plane's port (another one lets a second checkout run the bench at the same time)
# B's breakdown comes from the workers' JSON logs through bench/transcode/chunked_breakdown.py (see docs/benchmarks.md).
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

dotnet build control-plane/OpenCdn.ControlPlane -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build ingest/OpenCdn.Ingest -c Release -nologo -clp:ErrorsOnly >/dev/null
data="$work/platform"
rm -rf "$data"
export OpenCdn__DataFolder="$data" url="http://127.0.0.1:${PORT:-5098}"
dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" \
  --urls "$url" >"$work/control-plane.log" 2>&1 &
cp_pid=$!
workers=()
stop_workers() { for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; workers=(); }
trap 'stop_workers; kill $cp_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
password=$(awk '$1 == "admin" {print $2}' "$data/initial-credentials.txt")

# start_workers THRESHOLD CPU...: one worker per CPU, pinned, its log (JSON lines, with timestamps) in $work/worker-CPU.log.
start_workers() {
  local threshold=$1 cpu; shift
  for cpu in "$@"; do
    OpenCdn__Ingest__Chunking__ThresholdSeconds=$threshold OpenCdn__Ingest__Chunking__ChunkSeconds=$chunk OpenCdn__Logging__Format=json \
      taskset -c "$cpu" dotnet ingest/OpenCdn.Ingest/bin/Release/net10.0/OpenCdn.Ingest.dll >"$work/worker-$cpu.log" 2>&1 &
    workers+=($!)
  done
  for cpu in "$@"; do
    for _ in $(seq 1 120); do grep -q "waiting for transcode jobs" "$work/worker-$cpu.log" && break; sleep 0.5; done
  done
}

# encode: uploads the master, waits until ready; prints when it was queued and when it turned ready (the server's updatedAt).
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
  python3 -c 'import json,sys,datetime; t=json.loads(sys.argv[1]); print(sys.argv[2], datetime.datetime.fromisoformat(t["updatedAt"]).timestamp())' "$title" "$t0"
}

# ceiling: the reference, plain ffmpeg with the worker's x264 settings on the fixed ladder, one CHUNK of the master:
# alone on CPU 0, then two at once on CPU 0 and CPU 1. 2 × alone / together is what a second core gives any x264 work
# on this machine at that moment, the bound for A / B. Prints "alone together".
plain_chunk() {
  local cpu=$1 maps=() i=0 side kbps split=""
  for rung in 1080:5000 720:3000 480:1200 360:600 240:300; do
    side=${rung%%:*} kbps=${rung##*:}
    split+="[s$i]scale=-2:$side[o$i];"
    maps+=(-map "[o$i]" -c:v libx264 -preset:v veryfast -profile:v high -pix_fmt:v yuv420p -b:v "${kbps}k"
      -maxrate:v "$((kbps * 11 / 10))k" -bufsize:v "$((kbps * 2))k" -force_key_frames:v 'expr:gte(t,n_forced*4)'
      -g:v 100000 -sc_threshold:v 0 -x264-params:v scenecut=0:open_gop=0 -f mp4 "$work/plain-$cpu-$i.mp4")
    i=$((i + 1))
  done
  taskset -c "$cpu" ffmpeg -hide_banner -loglevel error -nostdin -y -t "$chunk" -i "$master" \
    -filter_complex "[0:v]split=5[s0][s1][s2][s3][s4];${split%;}" "${maps[@]}"
}
ceiling() {
  local t0 t1 t2
  t0=$(date +%s.%N); plain_chunk 0; t1=$(date +%s.%N)
  plain_chunk 0 & plain_chunk 1 & wait; t2=$(date +%s.%N)
  rm -f "$work"/plain-*.mp4
  python3 -c "print(f'{$t1 - $t0:.1f} {$t2 - $t1:.1f}')"
}

a_times=() rows=() ceilings=()
for round in $(seq 1 "$runs"); do
  a=0
  if [ -z "${ONLY_B:-}" ]; then
    start_workers 0 0
    read -r t0 ready < <(encode) && [ -n "$ready" ] || exit 1
    stop_workers
    a=$(python3 -c "print(float('$ready') - float('$t0'))")
  fi
  start_workers "$chunk" 0 1
  read -r t0 ready < <(encode) && [ -n "$ready" ] || exit 1
  { read -r breakdown; read -r row; } < <(python3 bench/transcode/chunked_breakdown.py "$t0" "$ready" "$work"/worker-0.log "$work"/worker-1.log)
  stop_workers
  read -r alone together < <(ceiling)
  a_times+=("$a") rows+=("$row") ceilings+=("$(python3 -c "print(2 * $alone / $together)")")
  printf 'round %d: A single pass, 1 worker on 1 core %.1f s | B chunked, 2 workers on 2 cores %.1f s\n  %s\n' \
    "$round" "$a" "${row%% *}" "$breakdown"
  printf '  plain ffmpeg, one %s-s chunk to the fixed ladder: %.1f s alone on 1 core, two at once on 2 cores %.1f s: 2 cores give %.2fx\n' \
    "$chunk" "$alone" "$together" "${ceilings[-1]}"
done

python3 - "$duration" "$chunk" "${a_times[*]}" "${ceilings[*]}" "${rows[@]}" <<'PY'
import math, statistics, sys
duration, chunk = float(sys.argv[1]), float(sys.argv[2])
a = [float(x) for x in sys.argv[3].split()]
ceiling = statistics.median(float(x) for x in sys.argv[4].split())
rows = [[float(x) for x in r.split()] for r in sys.argv[5:]]
b = [r[0] for r in rows]
ma, mb = statistics.median(a), statistics.median(b)
mid = sorted(rows, key=lambda r: r[0])[len(rows) // 2]
(wall, head, head_master, head_analysis, parts, chunks, video_sum, video_master, video_encode, video_upload, tracks,
 idle, gap, assembly, tail) = mid
if ma > 0:
    print(f"median A {ma:.1f} s, median B {mb:.1f} s: B is {ma / mb:.2f}x faster (goal >= 1.7x); "
          f"plain ffmpeg on the same 2 cores: {ceiling:.2f}x (median), so B reaches {ma / mb / ceiling:.0%} of the machine's ceiling")
print(f"assembly {assembly:.1f} s = {100 * assembly / wall:.1f} % of B's wall time (goal <= 5 %); serial head {head:.1f} s = "
      f"{100 * head / wall:.1f} %; tail after the last part {tail:.1f} s")
per_chunk = (video_encode + video_upload) / chunks  # one chunk on one core, its master already on the worker
print(f"per chunk of {chunk:.0f} s at 1080p: {per_chunk:.1f} s on one core (+ {video_master / chunks:.2f} s for the master); "
      f"{gap:.2f} s from one part to the next")
film, fleet = 7200.0, 50
n = math.ceil(film / chunk)
scale = film / duration
# The serial head: the master's fetch and probe grow with its size; the per-title analysis samples at most 12 s.
samples = min(duration, max(1.0, min(12.0, duration * 0.02)))
head_film = head_master * scale + head_analysis * 12.0 / samples
master_film = head_master * scale                   # each worker fetches the master once
# The chunks (each with its thumbnails) share the fleet; one worker holds the tracks part (audio, subtitles, poster: one
# job over the whole film).
video = master_film + math.ceil(n / (fleet - 1)) * (per_chunk + gap)
tracks_film = master_film + tracks * scale
assembly_film = assembly * scale
total = max(head_film + video, tracks_film) + assembly_film
print(f"projected 2-hour film on {fleet} workers: head {head_film:.0f} s, {n} chunks -> video {video:.0f} s, tracks part {tracks_film:.0f} s in parallel, assembly {assembly_film:.0f} s: "
      f"about {total:.0f} s ({total / 60:.1f} min)"
      + (f"; A's single pass would take ~{ma * scale / 60:.0f} min" if ma > 0 else ""))
PY
