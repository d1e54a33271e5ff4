#!/usr/bin/env bash
# Installs (or updates, or removes) an OpenCdn edge appliance on a Debian/Ubuntu host. Run from a checkout, as root:
#
#   edge-appliance/install.sh --control-plane URL --bootstrap-token T --public-url URL [--listen URL] [--name NAME]
#                             [--root DIR] [--no-systemd]
#   edge-appliance/install.sh --uninstall [--purge] [--root DIR] [--no-systemd]
#
# It builds the appliance as one native executable (Native AOT: needs the .NET 10 SDK and a C toolchain, clang or gcc,
# installed with apt-get when neither is there) into /opt/opencdn-edge, creates the system user opencdn-edge, writes
# /etc/opencdn/edge.json (installer-owned; put your own settings in /etc/opencdn/edge.local.json, which is never touched),
# creates the data folder /var/lib/opencdn-edge, and installs, enables and starts the hardened systemd unit
# opencdn-edge.service. Running it again with the same arguments changes nothing but the build, which reuses the
# compiler's intermediate files in /var/cache/opencdn-edge (an unchanged checkout relinks in seconds).
# --root DIR installs below DIR (paths in the unit and config point below DIR; no system user), --no-systemd skips
# systemctl. --uninstall stops and removes the service and the build; --purge also removes config, data and the user.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }

root=/ systemd=1 uninstall=0 purge=0
control_plane="" bootstrap_token="" public_url="" listen="" name=$(hostname)
while [ $# -gt 0 ]; do
  case "$1" in
    --control-plane) control_plane=${2:?}; shift 2 ;;
    --bootstrap-token) bootstrap_token=${2:?}; shift 2 ;;
    --public-url) public_url=${2:?}; shift 2 ;;
    --listen) listen=${2:?}; shift 2 ;;
    --name) name=${2:?}; shift 2 ;;
    --root) root=${2:?}; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

prefix=${root%/}
user=opencdn-edge
opt=$prefix/opt/opencdn-edge
etc=$prefix/etc/opencdn
data=$prefix/var/lib/opencdn-edge
unit=$prefix/etc/systemd/system/opencdn-edge.service
cache=$prefix/var/cache/opencdn-edge
real_root=$([ -z "$prefix" ] && echo 1 || echo 0)

if [ "$uninstall" = 1 ]; then
  if [ "$systemd" = 1 ] && [ -f "$unit" ]; then
    say "Stopping and disabling opencdn-edge"
    systemctl disable --now opencdn-edge.service || true
  fi
  rm -f "$unit"
  [ "$systemd" = 1 ] && systemctl daemon-reload || true
  rm -rf "$opt" "$opt.new" "$opt.old" "$cache"
  if [ "$purge" = 1 ]; then
    say "Removing configuration, data and the system user"
    rm -rf "$etc/edge.json" "$etc/edge.local.json" "$data"
    rmdir "$etc" 2>/dev/null || true
    if [ "$real_root" = 1 ] && getent passwd "$user" >/dev/null; then userdel "$user"; fi
  else
    say "Kept $etc and $data (--purge removes them)"
  fi
  say "Uninstalled"
  exit 0
fi

[ -n "$control_plane" ] || die "--control-plane URL is required"
[ -n "$public_url" ] || die "--public-url URL is required (the address players use to reach this appliance)"
[ -n "$bootstrap_token" ] || [ -f "$data/identity.json" ] || die "--bootstrap-token is required for the first install"
if [ -z "$listen" ]; then
  port=$(printf '%s' "$public_url" | sed -nE 's#^[a-z]+://[^/:]+:([0-9]+).*#\1#p')
  listen="http://0.0.0.0:${port:-80}"
fi
command -v dotnet >/dev/null || die "the .NET 10 SDK is needed to build the appliance: https://dot.net"
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  command -v apt-get >/dev/null || die "a C toolchain (clang or gcc) is needed to link the native appliance"
  say "Installing clang (the native build's linker)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null
fi

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac

say "Building the native appliance ($rid)"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$cache"
dotnet publish "$here/OpenCdn.Edge/OpenCdn.Edge.csproj" -c Release -r "$rid" \
  --artifacts-path "$cache/artifacts" -o "$build/out" -nologo -clp:ErrorsOnly -v:quiet >/dev/null
# The debug symbols (OpenCdn.Edge.dbg, twice the executable's size) stay in the build cache, not in the install.
mv "$build/out/OpenCdn.Edge.dbg" "$cache/" 2>/dev/null || true

say "Installing into $opt"
mkdir -p "$(dirname "$opt")"
rm -rf "$opt.new" "$opt.old"
cp -a "$build/out" "$opt.new"
[ -d "$opt" ] && mv "$opt" "$opt.old"
mv "$opt.new" "$opt"
rm -rf "$opt.old"

if [ "$real_root" = 1 ]; then
  if ! getent passwd "$user" >/dev/null; then
    say "Creating system user $user"
    useradd --system --home-dir /var/lib/opencdn-edge --no-create-home --shell /usr/sbin/nologin "$user"
  fi
else
  say "Staging root $prefix: no system user created"
fi

mkdir -p "$data" "$etc"
if [ "$real_root" = 1 ]; then chown "$user:$user" "$data"; fi
chmod 750 "$data"

json() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }
say "Writing $etc/edge.json"
umask 027
cat > "$etc/edge.json.tmp" <<JSON
{
  "Urls": $(json "$listen"),
  "OpenCdn": {
    "Edge": {
      "DataFolder": $(json "$data"),
      "ControlPlaneUrl": $(json "$control_plane"),
      "BootstrapToken": $(json "$bootstrap_token"),
      "PublicUrl": $(json "$public_url"),
      "Name": $(json "$name")
    }
  }
}
JSON
mv "$etc/edge.json.tmp" "$etc/edge.json"
[ -f "$etc/edge.local.json" ] || echo '{}' > "$etc/edge.local.json"
if [ "$real_root" = 1 ]; then chown "root:$user" "$etc/edge.json" "$etc/edge.local.json"; fi
umask 022

say "Writing $unit"
mkdir -p "$(dirname "$unit")"
cat > "$unit" <<UNIT
[Unit]
Description=OpenCdn edge appliance
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
User=$user
Group=$user
ExecStart=$opt/OpenCdn.Edge
WorkingDirectory=$opt
Environment=OPENCDN_EDGE_CONFIG=$etc/edge.json
Environment=DOTNET_NOLOGO=1
# Socket completions run on the event thread (no thread-pool hop per read): see docs/benchmarks.md, edge serving.
Environment=DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
Restart=always
RestartSec=5
TimeoutStopSec=30
LimitNOFILE=1048576
# Hardening: the appliance writes only its data folder.
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=$data
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
AmbientCapabilities=CAP_NET_BIND_SERVICE
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
UNIT

if [ "$systemd" = 1 ]; then
  say "Enabling and (re)starting opencdn-edge.service"
  systemctl daemon-reload
  systemctl enable opencdn-edge.service
  systemctl restart opencdn-edge.service
  say "Installed: systemctl status opencdn-edge; journalctl -u opencdn-edge -f"
else
  say "Installed without systemd: OPENCDN_EDGE_CONFIG=$etc/edge.json $opt/OpenCdn.Edge"
fi
