#!/usr/bin/env bash
# Transcode benchmark on a studio-like master (60-s 1080p30, an English stereo and a French 5.1 track, an English SRT
# subtitle): OpenCdn's encode (upload → ready through the real control plane and worker) side by side with
#   B: the equivalent hand-written single ffmpeg command (decode once, split) writing THE SAME outputs: the 5 video rungs,
#      the trick-play thumbnail tiles, the audio sets and the WebVTT subtitles, and
#   C: one ffmpeg process per output, run one after another (SEPARATE=0 skips it),
# alternating A B C for RUNS rounds. Prints each run, the medians, the ratios, and whether A and B wrote the same files.
# Usage: bench/transcode/run.sh [RUNS=3]      REFERENCE=studio (default) | thumbs-only      SEPARATE=1 (default) | 0
set -euo pipefail
set -f # no globbing: the output groups below hold * and % in ffmpeg options
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
runs=${1:-3}
reference=${REFERENCE:-studio}
separate=${SEPARATE:-1}
ensure_debian_packages ffmpeg time curl python3 bc
work="$PWD/bench/.work/transcode"
mkdir -p "$work"
master="$work/studio-1080p30-60s.mkv"
if [ ! -f "$master" ]; then
  printf '1\n00:00:01,000 --> 00:00:05,000\nHello from the bench.\n\n2\n00:00:30,000 --> 00:00:34,000\nHalfway there.\n' >"$work/eng.srt"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=60" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=60,aformat=channel_layouts=stereo" \
    -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=60,aformat=channel_layouts=5.1" -i "$work/eng.srt" \
    -map 0:v -map 1:a -map 2:a -map 3:s -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -c:a aac -b:a:0 192k -b:a:1 448k -c:s srt \
    -metadata:s:a:0 language=eng -metadata:s:a:1 language=fra -metadata:s:s:0 language=eng "$master"
fi

dotnet build OpenCdn.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
data="$work/platform"
rm -rf "$data"
export OpenCdn__DataFolder="$data" url="http://127.0.0.1:5099"
dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" \
  --urls "$url" >"$work/control-plane.log" 2>&1 &
cp_pid=$!
# The reference encodes the fixed ladder: so does the worker here (the per-title ladder has bench/transcode/per-title.sh).
OpenCdn__Ingest__PerTitle__Enabled=false dotnet ingest/OpenCdn.Ingest/bin/Release/net10.0/OpenCdn.Ingest.dll >"$work/ingest.log" 2>&1 &
worker_pid=$!
trap 'kill $cp_pid $worker_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
password=$(awk '$1 == "admin" {print $2}' "$data/initial-credentials.txt")

now() { date +%s.%N; }

# ---------------------------------------------------------------------------------------------------------------------
# THE REFERENCE: the hand-written ffmpeg equivalent of the worker's encode, as output groups. Keep it in step with
# ingest/OpenCdn.Ingest: Ladder/LadderArguments.cs + Ladder/VideoFilters.cs (video), Ladder/Thumbnails.cs (tiles),
# Tracks/AudioOutputs.cs (audio) and Tracks/SubtitleOutputs.cs (WebVTT). Each group is one output: VIDEO_CHAINS[i] is
# the filter after the split for VIDEO_OUTS[i]; OTHER_OUTS are complete output options (their own -map and filters).
# ---------------------------------------------------------------------------------------------------------------------
reference_outputs() {
  local out=$1 h w k
  VIDEO_CHAINS=() VIDEO_OUTS=() OTHER_OUTS=()
  for rung in 1920x1080:5000 1280x720:3000 854x480:1200 640x360:600 426x240:300; do
    w=${rung%%x*} h=${rung#*x} h=${h%%:*} k=${rung##*:}
    VIDEO_CHAINS+=("scale=$w:$h:flags=bicubic,setsar=1")
    VIDEO_OUTS+=("-c:v libx264 -preset:v veryfast -profile:v high -pix_fmt:v yuv420p -b:v ${k}k -maxrate:v $((k*11/10))k -bufsize:v $((k*2))k \
-fps_mode:v cfr -force_key_frames:v expr:gte(t,n_forced*4) -g:v 100000 -keyint_min:v 100000 -sc_threshold:v 0 -forced-idr:v 1 \
-x264-params:v scenecut=0:open_gop=0 -map_metadata -1 -movflags +dash+global_sidx+skip_trailer -f mp4 $out/video_${h}p.mp4")
  done
  # Trick play: the first frame of every 4 s, 160 px on the long side at display aspect, 10x10 per JPEG tile.
  VIDEO_CHAINS+=("setpts=PTS-STARTPTS,select='if(isnan(prev_selected_t)\,1\,gt(floor(t/4)\,floor(prev_selected_t/4)))',scale=w='if(gte(dar\,1)\,160\,2*trunc(160*dar/2))':h='if(gte(dar\,1)\,2*trunc(160/dar/2)\,160)':flags=bicubic,setsar=1,format=yuvj420p,tile=10x10")
  VIDEO_OUTS+=("-c:v mjpeg -q:v 5 -fps_mode:v passthrough -map_metadata -1 -f image2 -start_number 1 $out/thumbs_%d.jpg")
  local frag="-frag_duration 4000000 -movflags +dash+global_sidx+skip_trailer -f mp4"
  if [ "$reference" = thumbs-only ]; then
    # What this branch's worker writes before the audio work is merged: the first audio track, AAC-LC stereo, no loudnorm.
    OTHER_OUTS+=("-map 0:a:0 -map_metadata -1 -c:a aac -profile:a aac_low -b:a 128k -ar 48000 -ac 2 $frag $out/audio_eng.mp4")
    return
  fi
  # Every audio track in AAC-LC stereo, a 5.1 track also in 5.1, each loudness-normalised (EBU R128); the subtitle as WebVTT.
  local norm="loudnorm=I=-23:TP=-2:LRA=11"
  OTHER_OUTS+=("-map 0:a:0 -map_metadata -1 -filter:a aformat=channel_layouts=stereo,$norm,aformat=sample_rates=48000:channel_layouts=stereo \
-c:a aac -profile:a aac_low -b:a 128k $frag $out/audio_eng.mp4")
  OTHER_OUTS+=("-map 0:a:1 -map_metadata -1 -filter:a aformat=channel_layouts=stereo,$norm,aformat=sample_rates=48000:channel_layouts=stereo \
-c:a aac -profile:a aac_low -b:a 128k $frag $out/audio_fra.mp4")
  OTHER_OUTS+=("-map 0:a:1 -map_metadata -1 -filter:a aformat=channel_layouts=5.1,$norm,aformat=sample_rates=48000:channel_layouts=5.1 \
-c:a aac -profile:a aac_low -b:a 384k $frag $out/audio_fra_surround.mp4")
  OTHER_OUTS+=("-map 0:s:0 -map_metadata -1 -c:s webvtt -f webvtt $out/subtitles_eng.vtt")
}
# ---------------------------------------------------------------------------------------------------------------------

opencdn() {
  local token id upload_url location t0
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
  # The files the package lists, for the same-outputs check.
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print("\n".join(sorted(f["name"] for r in p["representations"]
    for f in (r.get("parts") or [{"name": r["file"]}]))))' "$data/origin/objects/titles/$id/v1/package.json" >"$work/opencdn-files.txt"
  python3 -c 'import json,sys,datetime; t=json.loads(sys.argv[1]); print(datetime.datetime.fromisoformat(t["updatedAt"]).timestamp() - float(sys.argv[2]))' "$title" "$t0"
}

single() {
  local out="$work/single" graph i
  rm -rf "$out"; mkdir -p "$out"
  reference_outputs "$out"
  graph="[0:v:0]split=${#VIDEO_CHAINS[@]}$(for i in "${!VIDEO_CHAINS[@]}"; do printf '[s%d]' "$i"; done)"
  ARGS=(-hide_banner -loglevel error -y -i "$master")
  for i in "${!VIDEO_CHAINS[@]}"; do graph+=";[s$i]${VIDEO_CHAINS[$i]}[o$i]"; done
  ARGS+=(-filter_complex "$graph")
  # shellcheck disable=SC2206 # the groups are word lists without spaces inside words
  for i in "${!VIDEO_OUTS[@]}"; do ARGS+=(-map "[o$i]" ${VIDEO_OUTS[$i]}); done
  # shellcheck disable=SC2206
  for group in "${OTHER_OUTS[@]}"; do ARGS+=($group); done
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" ffmpeg "${ARGS[@]}"
  (cd "$out" && ls | sort) >"$work/reference-files.txt"
  cat "$work/time.txt"
}

per_output() {
  local out="$work/separate" start total_user=0 total_sys=0 peak=0 i
  rm -rf "$out"; mkdir -p "$out"
  reference_outputs "$out"
  start=$(now)
  # shellcheck disable=SC2206
  for i in "${!VIDEO_CHAINS[@]}"; do
    /usr/bin/time -f "%U %S %M" -o "$work/time.txt" ffmpeg -hide_banner -loglevel error -y -i "$master" -map 0:v:0 -vf "${VIDEO_CHAINS[$i]}" \
      ${VIDEO_OUTS[$i]}
    read -r u s m <"$work/time.txt"; total_user=$(echo "$total_user + $u" | bc); total_sys=$(echo "$total_sys + $s" | bc); [ "$m" -gt "$peak" ] && peak=$m
  done
  # shellcheck disable=SC2206
  for group in "${OTHER_OUTS[@]}"; do
    /usr/bin/time -f "%U %S %M" -o "$work/time.txt" ffmpeg -hide_banner -loglevel error -y -i "$master" $group
    read -r u s m <"$work/time.txt"; total_user=$(echo "$total_user + $u" | bc); total_sys=$(echo "$total_sys + $s" | bc); [ "$m" -gt "$peak" ] && peak=$m
  done
  echo "$(echo "$(now) - $start" | bc) $total_user $total_sys $peak"
}

a=() b=() c=()
for i in $(seq 1 "$runs"); do
  t=$(opencdn); a+=("$t"); echo "run $i  A opencdn          wall ${t}s  worker peak RSS $(awk '/VmHWM/ {print $2}' /proc/$worker_pid/status) KB"
  read -r wall user sys rss < <(single); b+=("$wall"); echo "run $i  B single ffmpeg    wall ${wall}s  cpu $(echo "$user + $sys" | bc)s  peak RSS ${rss} KB"
  if [ "$separate" = 1 ]; then
    read -r wall user sys rss < <(per_output); c+=("$wall"); echo "run $i  C per output       wall ${wall}s  cpu $(echo "$user + $sys" | bc)s  peak RSS ${rss} KB"
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo
echo "reference: $reference; outputs of A: $(paste -sd' ' "$work/opencdn-files.txt")"
if diff -q "$work/opencdn-files.txt" "$work/reference-files.txt" >/dev/null; then
  echo "same outputs: yes"
else
  echo "same outputs: NO (A and B wrote different files: the ratio compares different work)"; diff "$work/opencdn-files.txt" "$work/reference-files.txt" || true
fi
echo "median wall: A opencdn ${ma}s (realtime x$(echo "scale=2; 60 / $ma" | bc)), B single ${mb}s"
echo "ratio A/B (goal <= 1.10): $(echo "scale=3; $ma / $mb" | bc)"
if [ "$separate" = 1 ]; then
  mc=$(median "${c[@]}")
  echo "median wall: C per output ${mc}s; ratio C/A (goal >= 1.3): $(echo "scale=3; $mc / $ma" | bc)"
fi
