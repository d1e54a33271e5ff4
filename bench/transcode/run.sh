#!/usr/bin/env bash
# Transcode benchmark: OpenCdn's ladder (upload → ready through the real control plane and worker) side by side with
#   B: the equivalent single hand-written ffmpeg command (decode once, split, 5 rungs + AAC), and
#   C: one ffmpeg process per rendition, run one after another,
# on a 60-s 1080p30 master, alternating A B C for RUNS rounds. Prints each run, the medians and the ratios.
# Usage: bench/transcode/run.sh [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
runs=${1:-3}
ensure_debian_packages ffmpeg time curl python3
work="$PWD/bench/.work/transcode"
mkdir -p "$work"
master="$work/master-1080p30-60s.mp4"
[ -f "$master" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=60" \
  -f lavfi -i "sine=frequency=440:duration=60" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k "$master"

dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
data="$work/platform"
rm -rf "$data"
export OpenCdn__DataFolder="$data" url="http://127.0.0.1:5099"
dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" \
  --urls "$url" >"$work/control-plane.log" 2>&1 &
cp_pid=$!
dotnet ingest/OpenCdn.Ingest/bin/Release/net10.0/OpenCdn.Ingest.dll >"$work/ingest.log" 2>&1 &
worker_pid=$!
trap 'kill $cp_pid $worker_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
password=$(awk '$1 == "admin" {print $2}' "$data/initial-credentials.txt")

now() { date +%s.%N; }
# The hand-written equivalent of what the worker runs, into the array ARGS.
ladder_args() {
  local out=$1 h k
  ARGS=(-hide_banner -loglevel error -y -i "$master" -filter_complex
    "[0:v:0]split=5[s0][s1][s2][s3][s4];[s0]scale=-2:1080[v1080];[s1]scale=-2:720[v720];[s2]scale=-2:480[v480];[s3]scale=-2:360[v360];[s4]scale=-2:240[v240]")
  for rung in 1080:5000 720:3000 480:1200 360:600 240:300; do
    h=${rung%%:*} k=${rung##*:}
    ARGS+=(-map "[v$h]" -c:v libx264 -preset:v veryfast -profile:v high -pix_fmt:v yuv420p -b:v ${k}k -maxrate:v $((k*11/10))k
      -bufsize:v $((k*2))k -fps_mode:v cfr -force_key_frames:v "expr:gte(t,n_forced*4)" -g:v 100000 -keyint_min:v 100000
      -sc_threshold:v 0 -forced-idr:v 1 -x264-params:v scenecut=0:open_gop=0 -movflags +dash+global_sidx -f mp4 "$out/video_${h}p.mp4")
  done
  ARGS+=(-map 0:a:0 -c:a aac -b:a 128k -ar 48000 -ac 2 -frag_duration 4000000 -movflags +dash+global_sidx -f mp4 "$out/audio_und.mp4")
}

opencdn() {
  local t0 t1 status
  t0=$(now)
  infra/local/upload-demo.sh "$url" admin "$password" "$work" >/dev/null <<<"" 2>/dev/null || true
  # upload-demo uploads its own master; upload ours instead:
  :
}

opencdn() {
  local token id upload_url location t0 status
  token=$(curl -fsS -X POST "$url/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  read -r id upload_url < <(curl -fsS -X POST "$url/api/v1/titles" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"name":"bench"}' | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["id"], t["uploadUrl"])')
  location=$(curl -fsS -D - -o /dev/null -X POST "$url$upload_url" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $(stat -c %s "$master")" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
  curl -fsS -o /dev/null -X PATCH "$url$location" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H 'Upload-Offset: 0' -H 'content-type: application/offset+octet-stream' --data-binary "@$master"
  t0=$(now) # queued: from here on it is the worker's time
  # Poll gently (a busy poll would steal CPU from the encode); the end time is the server's own updatedAt.
  until title=$(curl -fsS "$url/api/v1/titles/$id" -H "authorization: Bearer $token") && grep -qE '"status":"(ready|failed)"' <<<"$title"; do
    sleep 1
  done
  grep -q '"status":"ready"' <<<"$title" || { echo "bench title failed: $title" >&2; exit 1; }
  python3 -c 'import json,sys,datetime; t=json.loads(sys.argv[1]); print(datetime.datetime.fromisoformat(t["updatedAt"]).timestamp() - float(sys.argv[2]))' "$title" "$t0"
}

single() {
  local out="$work/single"; rm -rf "$out"; mkdir -p "$out"
  ladder_args "$out"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" ffmpeg "${ARGS[@]}"
  cat "$work/time.txt"
}

per_rendition() {
  local out="$work/separate"; rm -rf "$out"; mkdir -p "$out"
  local start total_user=0 total_sys=0 peak=0
  start=$(now)
  for rung in 1080:5000 720:3000 480:1200 360:600 240:300; do
    h=${rung%%:*} k=${rung##*:}
    /usr/bin/time -f "%U %S %M" -o "$work/time.txt" ffmpeg -hide_banner -loglevel error -y -i "$master" -map 0:v:0 -vf "scale=-2:$h" \
      -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -b:v ${k}k -maxrate $((k*11/10))k -bufsize $((k*2))k -fps_mode cfr \
      -force_key_frames "expr:gte(t,n_forced*4)" -g 100000 -keyint_min 100000 -sc_threshold 0 -forced-idr 1 -x264-params scenecut=0:open_gop=0 \
      -movflags +dash+global_sidx -f mp4 "$out/video_${h}p.mp4"
    read -r u s m <"$work/time.txt"; total_user=$(echo "$total_user + $u" | bc); total_sys=$(echo "$total_sys + $s" | bc); [ "$m" -gt "$peak" ] && peak=$m
  done
  /usr/bin/time -f "%U %S %M" -o "$work/time.txt" ffmpeg -hide_banner -loglevel error -y -i "$master" -map 0:a:0 -c:a aac -b:a 128k -ar 48000 -ac 2 \
    -frag_duration 4000000 -movflags +dash+global_sidx -f mp4 "$out/audio_und.mp4"
  read -r u s m <"$work/time.txt"; total_user=$(echo "$total_user + $u" | bc); total_sys=$(echo "$total_sys + $s" | bc); [ "$m" -gt "$peak" ] && peak=$m
  echo "$(echo "$(now) - $start" | bc) $total_user $total_sys $peak"
}

a=() b=() c=()
for i in $(seq 1 "$runs"); do
  t=$(opencdn); a+=("$t"); echo "run $i  A opencdn          wall ${t}s  worker peak RSS $(awk '/VmHWM/ {print $2}' /proc/$worker_pid/status) KB"
  read -r wall user sys rss < <(single); b+=("$wall"); echo "run $i  B single ffmpeg    wall ${wall}s  cpu $(echo "$user + $sys" | bc)s  peak RSS ${rss} KB"
  read -r wall user sys rss < <(per_rendition); c+=("$wall"); echo "run $i  C per rendition    wall ${wall}s  cpu $(echo "$user + $sys" | bc)s  peak RSS ${rss} KB"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}") mc=$(median "${c[@]}")
echo
echo "median wall: A opencdn ${ma}s (realtime x$(echo "scale=2; 60 / $ma" | bc)), B single ${mb}s, C per rendition ${mc}s"
echo "ratio A/B (goal <= 1.05): $(echo "scale=3; $ma / $mb" | bc)"
echo "ratio C/A (goal >= 1.3):  $(echo "scale=3; $mc / $ma" | bc)"
