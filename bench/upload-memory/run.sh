#!/usr/bin/env bash
# Upload memory benchmark: streams a large synthetic master (sparse file, default 2 GiB) to the control plane with one
# tus PATCH and samples the control plane's resident memory every 200 ms. Memory must not grow with the file: prints
# RSS before, peak during, the growth as a share of the file size, and the upload throughput.
# STORE=files (default): embedded mode, the body streams to a staging file, then into the origin folder.
# STORE=s3: origin in s3rver (infra/local), the body goes part by part into an S3 multipart upload (cloud mode's staging).
# Usage: bench/upload-memory/run.sh [SIZE=2G] [STORE=files|s3]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/local/prerequisites.sh
size=${1:-2G}
store=${2:-files}
ensure_debian_packages curl python3
work="$PWD/bench/.work/upload-memory"
rm -rf "$work"; mkdir -p "$work"
master="$work/master.bin"
truncate -s "$size" "$master"
bytes=$(stat -c %s "$master")

dotnet build control-plane/OpenCdn.ControlPlane -c Release -nologo -clp:ErrorsOnly >/dev/null
export OpenCdn__DataFolder="$work/platform" OpenCdn__Upload__MaxSizeBytes=$((bytes * 2)) url="http://127.0.0.1:5098"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
if [ "$store" = s3 ]; then
  ensure_npm_packages infra/local
  (cd infra/local && exec node s3-server.js 4598 "$work/s3" opencdn-bench >/dev/null) &
  pids+=($!)
  export OpenCdn__Storage__Kind=S3 OpenCdn__Storage__S3__Bucket=opencdn-bench OpenCdn__Storage__S3__ServiceUrl=http://127.0.0.1:4598 \
    OpenCdn__Storage__S3__ForcePathStyle=true OpenCdn__Storage__S3__AccessKey=S3RVER OpenCdn__Storage__S3__SecretKey=S3RVER
fi
dotnet control-plane/OpenCdn.ControlPlane/bin/Release/net10.0/OpenCdn.ControlPlane.dll \
  --contentRoot "$PWD/control-plane/OpenCdn.ControlPlane" --urls "$url" >"$work/control-plane.log" 2>&1 &
cp_pid=$!
pids+=($cp_pid)
for _ in $(seq 1 60); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$cp_pid/status"; }

password=$(awk '$1 == "admin" {print $2}' "$OpenCdn__DataFolder/initial-credentials.txt")
token=$(curl -fsS -X POST "$url/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
read -r id upload_url < <(curl -fsS -X POST "$url/api/v1/titles" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"memory"}' | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["id"], t["uploadUrl"])')
location=$(curl -fsS -D - -o /dev/null -X POST "$url$upload_url" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
  -H "Upload-Length: $bytes" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')

before=$(rss)
peak=$before
start=$(date +%s.%N)
curl -fsS -o /dev/null -X PATCH "$url$location" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
  -H 'Upload-Offset: 0' -H 'content-type: application/offset+octet-stream' -T "$master" &
upload_pid=$!
while kill -0 $upload_pid 2>/dev/null; do
  now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.2
done
wait $upload_pid
seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "file:        $bytes bytes (store: $store)"
echo "RSS before:  $((before / 1024)) MiB"
echo "RSS peak:    $((peak / 1024)) MiB  (growth $(( (peak - before) / 1024 )) MiB = $(echo "scale=2; ($peak - $before) * 1024 * 100 / $bytes" | bc) % of the file)"
echo "upload:      ${seconds}s, $(echo "scale=0; $bytes / $seconds / 1048576" | bc) MiB/s (staging + assembly in origin)"
