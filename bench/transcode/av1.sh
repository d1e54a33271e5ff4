#!/usr/bin/env bash
# AV1 versus H.264 at equal quality, with the worker's encoder settings (ingest Ladder/LadderArguments.cs and
# Ladder/Av1Encoding.cs): for each content kind, the H.264 rung as the worker encodes it (x264 veryfast, capped VBR at
# the rung's bitrate, 4-s forced keyframes) beside a CRF sweep of SVT-AV1 (the worker's preset, forced keyframes, no
# cap). Quality is SSIM (as dB, -10·log10(1-SSIM)) and PSNR-Y from FFmpeg's own filters against the same scaled picture
# (no VMAF: no libvmaf in Debian's FFmpeg). From the sweep, the AV1 bytes that reach the H.264 rung's SSIM are
# interpolated (log-bytes against SSIM dB): "bytes saved at equal quality". Also the worker's default AV1 rung (CRF 35
# capped at 0.6 × the H.264 bitrate): its bytes and quality. Encode CPU (user+sys) is reported per minute of content.
# Usage: bench/transcode/av1.sh [SECONDS=60]   env: KINDS="film motion" HEIGHT=720 KBPS=3000 PRESET=10 CRFS="28 32 36 40 44 48"
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
ensure_debian_packages ffmpeg time python3 bc
seconds=${1:-60}
kinds=${KINDS:-"film motion"}
height=${HEIGHT:-720}
kbps=${KBPS:-3000}
preset=${PRESET:-10}
crfs=${CRFS:-"28 32 36 40 44 48"}
width=$((height * 16 / 9 / 2 * 2))
work="$PWD/bench/.work/av1"
mkdir -p "$work"
export SVT_LOG=1 # SVT-AV1: errors only
keys='expr:gte(t,n_forced*4)'
scale="scale=$width:$height:flags=bicubic,setsar=1"

# Content kinds, generated once at 1080p30 (H.264 CRF 16 masters):
#   film:   a slow Mandelbrot zoom with film grain (fine detail and noise, the hard case);
#   motion: testsrc2 (moving graphics, flat areas and sharp edges) with mild grain.
master_of() {
  local kind=$1 file="$work/$1-${seconds}s.mkv" source
  case $kind in
    film) source="mandelbrot=size=1920x1080:rate=30:end_scale=0.01:maxiter=300,noise=alls=6:allf=t+u" ;;
    motion) source="testsrc2=size=1920x1080:rate=30,noise=alls=2:allf=t" ;;
    *) echo "unknown kind $kind" >&2; exit 2 ;;
  esac
  [ -f "$file" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$source" -t "$seconds" \
    -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p "$file"
  echo "$file"
}

# Runs an encode under /usr/bin/time; prints "cpu_seconds bytes".
encode() {
  local out=$1; shift
  /usr/bin/time -f '%U %S' -o "$work/time.txt" ffmpeg -hide_banner -loglevel error -y "$@" \
    -map_metadata -1 -movflags +dash+global_sidx+skip_trailer -f mp4 "$out" 2>"$work/encode.log"
  read -r user sys <"$work/time.txt"
  echo "$(echo "$user + $sys" | bc -l) $(stat -c %s "$out")"
}

# SSIM (dB) and PSNR-Y of an encode against the master scaled the worker's way.
quality() {
  local encoded=$1 master=$2 ssim psnr
  ssim=$(ffmpeg -hide_banner -nostats -i "$encoded" -i "$master" -lavfi "[1:v]$scale[ref];[0:v][ref]ssim" -f null - 2>&1 \
    | sed -n 's/.*All:[0-9.]* (\([0-9.inf]*\)).*/\1/p' | tail -1)
  psnr=$(ffmpeg -hide_banner -nostats -i "$encoded" -i "$master" -lavfi "[1:v]$scale[ref];[0:v][ref]psnr" -f null - 2>&1 \
    | sed -n 's/.* y:\([0-9.inf]*\) .*/\1/p' | tail -1)
  echo "$ssim $psnr"
}

x264() {
  local k=$1
  echo -c:v libx264 -preset:v veryfast -profile:v high -pix_fmt:v yuv420p -b:v "${k}k" -maxrate:v "$((k * 11 / 10))k" \
    -bufsize:v "$((k * 2))k" -fps_mode:v cfr -force_key_frames:v "$keys" -g:v 100000 -keyint_min:v 100000 -sc_threshold:v 0 \
    -forced-idr:v 1 -x264-params:v scenecut=0:open_gop=0
}

svt() {
  local crf=$1 max=${2:-}
  echo -c:v libsvtav1 -preset:v "$preset" -crf:v "$crf" -pix_fmt:v yuv420p ${max:+-maxrate:v ${max}k -bufsize:v $((max * 2))k} \
    -fps_mode:v cfr -force_key_frames:v "$keys" -g:v 100000 -svtav1-params:v enable-force-key-frames=1
}

results="$work/results.txt"
: >"$results"
echo "AV1 vs H.264 at ${width}x${height}, ${seconds}s per kind, H.264 at ${kbps}k (x264 veryfast), SVT-AV1 preset $preset"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $kinds; do
  master=$(master_of "$kind")
  # shellcheck disable=SC2046 # the option lists are word-split on purpose
  read -r cpu bytes < <(encode "$work/h264.mp4" -i "$master" -vf "$scale" $(x264 "$kbps"))
  read -r ssim psnr < <(quality "$work/h264.mp4" "$master")
  echo "$kind h264 $kbps $bytes $ssim $psnr $cpu" | tee -a "$results"
  for crf in $crfs; do
    # shellcheck disable=SC2046
    read -r cpu bytes < <(encode "$work/av1.mp4" -i "$master" -vf "$scale" $(svt "$crf"))
    read -r ssim psnr < <(quality "$work/av1.mp4" "$master")
    echo "$kind av1-crf $crf $bytes $ssim $psnr $cpu" | tee -a "$results"
  done
  max=$(( (kbps * 6 + 5) / 10 ))
  # shellcheck disable=SC2046
  read -r cpu bytes < <(encode "$work/av1.mp4" -i "$master" -vf "$scale" $(svt 35 "$max"))
  read -r ssim psnr < <(quality "$work/av1.mp4" "$master")
  echo "$kind av1-default 35/$max $bytes $ssim $psnr $cpu" | tee -a "$results"
done

python3 - "$results" "$seconds" <<'PY'
import math, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
seconds = float(sys.argv[2])
print()
print("| content | H.264 rung: bytes, SSIM dB, PSNR-Y | AV1 at the same SSIM: bytes (interpolated) | AV1 / H.264 bytes "
      "| worker default AV1 (CRF 35, cap 0.6x): bytes, SSIM dB | CPU s per minute: H.264 / AV1 (matched CRF) |")
print("|---|---|---|---|---|---|")
for kind in dict.fromkeys(r[0] for r in rows):
    h = next(r for r in rows if r[0] == kind and r[1] == "h264")
    sweep = sorted(((float(r[4]), int(r[3]), float(r[6]), r[2]) for r in rows if r[0] == kind and r[1] == "av1-crf"))
    default = next(r for r in rows if r[0] == kind and r[1] == "av1-default")
    target, hbytes, hcpu = float(h[4]), int(h[3]), float(h[6])
    match = cpu = None
    for (q0, b0, c0, _), (q1, b1, c1, _) in zip(sweep, sweep[1:]):
        if q0 <= target <= q1:
            f = 0 if q1 == q0 else (target - q0) / (q1 - q0)
            match = math.exp(math.log(b0) + f * (math.log(b1) - math.log(b0)))
            cpu = c0 + f * (c1 - c0)
    per_min = lambda c: c * 60 / seconds
    if match is None:
        span = f"{sweep[0][0]:.2f}-{sweep[-1][0]:.2f}"
        print(f"| {kind} | {hbytes:,}, {target:.2f}, {float(h[5]):.2f} | outside the sweep's SSIM {span} dB: widen CRFS | — | "
              f"{int(default[3]):,}, {float(default[4]):.2f} | {per_min(hcpu):.0f} / — |")
        continue
    print(f"| {kind} | {hbytes:,}, {target:.2f}, {float(h[5]):.2f} | {match:,.0f} | {match / hbytes:.2f} ({(1 - match / hbytes) * 100:.0f} % fewer) | "
          f"{int(default[3]):,}, {float(default[4]):.2f} | {per_min(hcpu):.0f} / {per_min(cpu):.0f} |")
PY
