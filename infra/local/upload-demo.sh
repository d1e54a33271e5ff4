#!/usr/bin/env bash
# upload-demo.sh URL USER PASSWORD WORKDIR: generates a 30-s 720p test master with ffmpeg and uploads it through the
# public API (token, create title, tus creation + one PATCH). Prints the new title's id.
set -euo pipefail
url=$1 user=$2 password=$3 work=$4
master="$work/demo-master.mp4"
[ -f "$master" ] || ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=30" -f lavfi -i "sine=frequency=440:duration=30" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac "$master"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
token=$(curl -fsS -X POST "$url/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" | json accessToken)
title=$(curl -fsS -X POST "$url/api/v1/titles" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"Demo: test pattern"}')
id=$(echo "$title" | json id)
upload_url=$(echo "$title" | json uploadUrl)
size=$(stat -c %s "$master")
location=$(curl -fsS -D - -o /dev/null -X POST "$url$upload_url" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
  -H "Upload-Length: $size" -H "Upload-Metadata: filename $(printf demo.mp4 | base64)" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
curl -fsS -o /dev/null -X PATCH "$url$location" -H "authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
  -H 'Upload-Offset: 0' -H 'content-type: application/offset+octet-stream' --data-binary "@$master"
echo "$id"
