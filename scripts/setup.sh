#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine to build and test kaniko-release:
#   - the Debian packages the tests start for real (a local OCI registry, git, Go for the
#     stand-in executor, busybox, htpasswd, util-linux's unshare, QEMU user emulation, and the
#     OCI runtimes runc and crun that confine every build — the tests run the builds under both);
#   - Debian's arm64 busybox-static in test/.cache/ (the base of the multi-platform tests) and,
#     where the kernel allows it, QEMU for aarch64 registered with binfmt_misc (flag F);
#   - Node.js 24 from the npm registry, installed in /opt/node24 and linked as
#     /usr/local/bin/node (ahead of a system Node on PATH);
#   - the project's npm dependencies (npm ci), as the calling user.
# The system part needs root: run as root or with passwordless sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=24
PACKAGES=(git ca-certificates util-linux coreutils docker-registry apache2-utils busybox-static golang-go qemu-user-static runc crun)

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

# A static busybox for arm64, the second platform of the multi-platform tests' base image.
ARM64_BUSYBOX=test/.cache/busybox-arm64
if [ ! -x "$ARM64_BUSYBOX" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64
    apt_updated=false
  fi
  apt_update
  tmp=$(mktemp -d)
  # As root, apt downloads as its own user: let it write here, so it need not fall back to root.
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$tmp" && { chown _apt "$tmp" 2>/dev/null || true; }; fi
  (cd "$tmp" && apt-get download -qq busybox-static:arm64)
  dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/root"
  mkdir -p "$(dirname "$ARM64_BUSYBOX")"
  cp "$tmp/root/bin/busybox" "$ARM64_BUSYBOX"
  chmod 755 "$ARM64_BUSYBOX"
  rm -rf "$tmp"
fi
echo "arm64 busybox: $ARM64_BUSYBOX"

# QEMU for aarch64 in binfmt_misc with the F flag (the kernel keeps the interpreter open, so it
# works inside the build's container), unless the machine is arm64 itself. Skipped, saying why,
# where the kernel does not allow it (a container without the privilege, no binfmt_misc).
BINFMT=/proc/sys/fs/binfmt_misc
register_aarch64() {
  [ "$(uname -m)" = aarch64 ] && return 0
  if [ ! -e "$BINFMT/register" ] && ! as_root mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null; then
    echo "binfmt_misc cannot be mounted here: the arm64 RUN tests will be skipped."
    return 0
  fi
  if [ -e "$BINFMT/qemu-aarch64" ]; then
    if grep -q '^flags:.*F' "$BINFMT/qemu-aarch64"; then
      echo "binfmt_misc: qemu-aarch64 is registered with the F flag"
      return 0
    fi
    as_root sh -c "echo -1 > $BINFMT/qemu-aarch64" || true
  fi
  if as_root sh -c "cat /usr/lib/binfmt.d/qemu-aarch64.conf > $BINFMT/register" 2>/dev/null; then
    echo "binfmt_misc: registered qemu-aarch64 with the F flag"
  else
    echo "binfmt_misc: the kernel refused to register qemu-aarch64: the arm64 RUN tests will be skipped."
  fi
}
register_aarch64

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

# A worktree whose node_modules links to another checkout's shares it: npm ci would empty it
# for every checkout at once.
if [ -L node_modules ]; then
  echo "node_modules links to $(readlink node_modules): left as it is"
else
  npm ci --no-audit --no-fund --loglevel=error
fi
