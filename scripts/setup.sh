#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine to build and test kaniko-release:
#   - the Debian packages the tests start for real (a local OCI registry, git, Go for the
#     stand-in executor, busybox, htpasswd, util-linux's unshare, and the OCI runtimes runc and
#     crun that confine every build — the tests run the builds under both);
#   - Node.js 24 from the npm registry, installed in /opt/node24 and linked as
#     /usr/local/bin/node (ahead of a system Node on PATH);
#   - the project's npm dependencies (npm ci), as the calling user.
# The system part needs root: run as root or with passwordless sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=24
PACKAGES=(git ca-certificates util-linux coreutils docker-registry apache2-utils busybox-static golang-go runc crun)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

apt_updated=false
apt_update() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The registry package starts a system service on port 5000; the tests start their own.
as_root sh -c 'command -v service >/dev/null && service docker-registry stop >/dev/null 2>&1 || true'

current=$(/usr/local/bin/node --version 2>/dev/null || true)
if [[ "$current" != v${NODE_MAJOR}.* ]]; then
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64 | arm64) node_arch=arm64 ;;
    *) echo "No Node.js ${NODE_MAJOR} package for $(uname -m) on the npm registry." >&2; exit 1 ;;
  esac
  # npm fetches Node 24 from the npm registry; a machine without any npm gets Debian's first.
  if ! command -v npm >/dev/null; then
    apt_update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "Installing Node.js ${NODE_MAJOR} from the npm registry"
  tmp=$(mktemp -d)
  npm install --prefix "$tmp" --no-save --no-audit --no-fund --loglevel=error "node-linux-${node_arch}@${NODE_MAJOR}" >/dev/null
  as_root rm -rf /opt/node24
  as_root mkdir -p /opt/node24
  as_root cp -a "$tmp/node_modules/node-linux-${node_arch}/." /opt/node24/
  as_root ln -sf /opt/node24/bin/node /usr/local/bin/node
  rm -rf "$tmp"
fi
hash -r
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

npm ci --no-audit --no-fund --loglevel=error
