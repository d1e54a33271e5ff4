#!/usr/bin/env bash
# Installs (or updates, or removes) the OpenCdn control plane and ingest worker as systemd services on a Debian/Ubuntu
# host. Run from a checkout, as root:
#
#   infra/systemd/install.sh [--control-plane] [--worker] [--root DIR] [--no-systemd]
#   infra/systemd/install.sh --uninstall [--purge] [--root DIR] [--no-systemd]
#
# Without --control-plane or --worker it installs both. It builds self-contained services into
# /opt/opencdn-control-plane and /opt/opencdn-ingest, creates the system user opencdn (both services run as it and share
# the data folder /var/lib/opencdn, which embedded mode needs), writes /etc/opencdn/opencdn.env once (your settings:
# never overwritten), and installs, enables and starts opencdn-control-plane.service and opencdn-ingest.service.
# Running it again changes nothing but the build. --root DIR installs below DIR (paths in the units point below DIR; no
# system user), --no-systemd skips systemctl. --uninstall stops and removes the services and builds; --purge also
# removes configuration, data and the user.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }

root=/ systemd=1 uninstall=0 purge=0 control_plane=0 worker=0
while [ $# -gt 0 ]; do
  case "$1" in
    --control-plane) control_plane=1; shift ;;
    --worker) worker=1; shift ;;
    --root) root=${2:?}; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
if [ "$control_plane" = 0 ] && [ "$worker" = 0 ]; then control_plane=1 worker=1; fi

prefix=${root%/}
user=opencdn
opt=$prefix/opt
etc=$prefix/etc/opencdn
data=$prefix/var/lib/opencdn
units=$prefix/etc/systemd/system
real_root=$([ -z "$prefix" ] && echo 1 || echo 0)

# name of the unit, its folder under /opt, its project and the assembly it runs
services=()
[ "$control_plane" = 1 ] && services+=("opencdn-control-plane control-plane/OpenCdn.ControlPlane/OpenCdn.ControlPlane.csproj")
[ "$worker" = 1 ] && services+=("opencdn-ingest ingest/OpenCdn.Ingest/OpenCdn.Ingest.csproj")

if [ "$uninstall" = 1 ]; then
  for service in "${services[@]}"; do
    set -- $service
    if [ "$systemd" = 1 ] && [ -f "$units/$1.service" ]; then
      say "Stopping and disabling $1"
      systemctl disable --now "$1.service" || true
    fi
    rm -f "$units/$1.service"
    rm -rf "${opt:?}/$1" "$opt/$1.new" "$opt/$1.old"
  done
  [ "$systemd" = 1 ] && systemctl daemon-reload || true
  if [ "$purge" = 1 ]; then
    say "Removing configuration, data and the system user"
    rm -rf "$etc/opencdn.env" "$etc/control-plane.env" "$etc/ingest.env" "$data"
    rmdir "$etc" 2>/dev/null || true
    if [ "$real_root" = 1 ] && getent passwd "$user" >/dev/null; then userdel "$user"; fi
  else
    say "Kept $etc and $data (--purge removes them)"
  fi
  say "Uninstalled"
  exit 0
fi

command -v dotnet >/dev/null || die "the .NET 10 SDK is needed to build the services: https://dot.net"
if [ "$worker" = 1 ] && ! command -v ffmpeg >/dev/null; then
  die "the worker needs ffmpeg and ffprobe: apt-get install ffmpeg"
fi
if [ "$control_plane" = 1 ] && [ ! -d "$repo/control-plane/web/node_modules" ]; then
  command -v npm >/dev/null || die "npm is needed once to fetch the web pages' player libraries (apt-get install npm)"
  say "Fetching the web pages' libraries (npm ci in control-plane/web)"
  (cd "$repo/control-plane/web" && npm ci --no-audit --no-fund --silent)
fi

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$opt"
for service in "${services[@]}"; do
  set -- $service
  say "Building $1 ($rid, self-contained)"
  dotnet publish "$repo/$2" -c Release -r "$rid" --self-contained \
    --artifacts-path "$build/artifacts" -o "$build/$1" -nologo -clp:ErrorsOnly -v:quiet >/dev/null
  say "Installing into $opt/$1"
  rm -rf "$opt/$1.new" "$opt/$1.old"
  cp -a "$build/$1" "$opt/$1.new"
  [ -d "$opt/$1" ] && mv "$opt/$1" "$opt/$1.old"
  mv "$opt/$1.new" "$opt/$1"
  rm -rf "$opt/$1.old"
done

if [ "$real_root" = 1 ]; then
  if ! getent passwd "$user" >/dev/null; then
    say "Creating system user $user"
    useradd --system --home-dir /var/lib/opencdn --no-create-home --shell /usr/sbin/nologin "$user"
  fi
else
  say "Staging root $prefix: no system user created"
fi

mkdir -p "$data" "$etc"
chmod 700 "$data"
if [ "$real_root" = 1 ]; then chown "$user:$user" "$data"; fi

if [ ! -f "$etc/opencdn.env" ]; then
  say "Writing $etc/opencdn.env (yours from now on: the installer never touches it again)"
  umask 027
  cat > "$etc/opencdn.env" <<ENV
# OpenCdn's control plane and worker read this file (README, Configuration): one KEY=value a line, \`__\` for \`:\`.
# Secrets (database password, S3 keys) belong here: the file is readable by root and the opencdn group only.
# Settings for one service only go in control-plane.env or ingest.env beside this file.
OpenCdn__DataFolder=$data
# Where the control plane listens (appsettings.json says 127.0.0.1:5080: local only).
Urls=http://0.0.0.0:5080
# Set it to the address players use (a balancer's, with TLS): https://cdn.example.com
# OpenCdn__PublicUrl=http://$(hostname -f 2>/dev/null || hostname):5080
# Cloud mode (several hosts): PostgreSQL, S3 and SQS. Embedded mode (one host) needs none of these.
# ConnectionStrings__Catalog=Host=db.internal;Database=opencdn;Username=opencdn;Password=...;SSL Mode=Require
# OpenCdn__Storage__Kind=S3
# OpenCdn__Storage__S3__Bucket=opencdn-origin
# OpenCdn__Queue__Kind=Sqs
# OpenCdn__Queue__Sqs__QueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/opencdn-jobs
# OpenCdn__Queue__Sqs__DeadLetterQueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/opencdn-jobs-dlq
ENV
  umask 022
  if [ "$real_root" = 1 ]; then chown "root:$user" "$etc/opencdn.env"; fi
fi

mkdir -p "$units"
for service in "${services[@]}"; do
  set -- $service
  say "Writing $units/$1.service"
  sed -e "s#@OPT@#$opt#g" -e "s#@ETC@#$etc#g" -e "s#@DATA@#$data#g" "$here/$1.service" > "$units/$1.service.tmp"
  mv "$units/$1.service.tmp" "$units/$1.service"
done

if [ "$systemd" = 1 ]; then
  systemctl daemon-reload
  for service in "${services[@]}"; do
    set -- $service
    say "Enabling and (re)starting $1.service"
    systemctl enable "$1.service"
    systemctl restart "$1.service"
  done
  say "Installed: systemctl status 'opencdn-*'; journalctl -u opencdn-control-plane -u opencdn-ingest -f"
else
  say "Installed without systemd: set -a; . $etc/opencdn.env; then run $opt/opencdn-control-plane/OpenCdn.ControlPlane"
fi
