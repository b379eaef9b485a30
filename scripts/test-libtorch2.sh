#!/usr/bin/env bash
# `make test-libtorch2`: builds the whole project and runs the whole ctest
# suite against libtorch 2.x, in a Debian trixie root (libtorch-dev 2.6,
# clang-19) made with mmdebstrap from Debian's own packages. The root is
# made once and reused; the source tree is mounted into it at /src, the
# build lives in the root at /opt/torch-tidy-build, and the host's CUDA
# headers (when present) are mounted at /usr/local/cuda, so the probe's
# CUDA branch compiles against 2.6's c10/cuda headers too. The build is
# not at /build: the language server looks for build/compile_commands.json
# in every parent directory, and / is a parent of every test's project.
#
#   TORCH_TIDY_TRIXIE_ROOT  where the root is (default /var/tmp/torch-tidy-trixie)
#   JOBS                    parallel build and test jobs (default: nproc)
#   TORCH_TIDY_TRIXIE_MIRROR  the Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
root=${TORCH_TIDY_TRIXIE_ROOT:-/var/tmp/torch-tidy-trixie}
mirror=${TORCH_TIDY_TRIXIE_MIRROR:-http://deb.debian.org/debian}
jobs=${JOBS:-$(nproc)}

# mmdebstrap, chroot and mount need root; sudo when it is there.
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=TORCH_TIDY_TRIXIE_ROOT,TORCH_TIDY_TRIXIE_MIRROR,JOBS "$0" "$@"
  fi
  echo "test-libtorch2: making and entering the trixie root needs root (mmdebstrap, chroot, mount): run it as root or install sudo" >&2
  exit 2
fi

# Everything `make test` installs, and what the suite takes for granted on
# a Debian machine.
read -r -a packages <<<"$("$src/scripts/install-deps.sh" --list)"
packages+=(g++ python3 ca-certificates ccache)
wanted=$(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')
stamp="$root/etc/torch-tidy-packages"

if ! command -v mmdebstrap >/dev/null 2>&1; then
  echo "test-libtorch2: installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap
fi

if [ ! -f "$stamp" ]; then
  echo "test-libtorch2: making a trixie root in $root (a few minutes)"
  rm -rf "$root"
  mkdir -p "$(dirname "$root")"
  include=$(printf '%s,' "${packages[@]}")
  mmdebstrap --quiet --variant=apt --include="${include%,}" trixie "$root" \
    "$mirror"
  echo "$wanted" >"$stamp"
elif [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "test-libtorch2: installing the packages the root lacks"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  chroot "$root" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}"
  echo "$wanted" >"$stamp"
fi

# What the suite needs mounted: /proc (libtorch 2.6's cpuinfo reads it and
# fails without), /sys and /dev, the sources, the CUDA headers.
mounted=()
unmount_all() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[i]}" 2>/dev/null || true
  done
}
trap unmount_all EXIT
# Interrupted or killed by a timeout: unmount all the same.
trap 'exit 130' INT TERM
bind() { # bind SOURCE TARGET [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounted+=("$2")
  if [ "${3:-}" = ro ]; then
    mount -o remount,bind,ro "$2"
  fi
}
mkdir -p "$root/proc"
mount -t proc proc "$root/proc"
mounted+=("$root/proc")
bind /sys "$root/sys" ro
bind /dev "$root/dev"
bind /dev/pts "$root/dev/pts"
bind "$src" "$root/src"
# The host's certificates: npm (test/tool-integrations) reaches its registry
# through the same certificate chain as the host.
if [ -d /etc/ssl/certs ]; then
  bind /etc/ssl/certs "$root/etc/ssl/certs" ro
fi
if [ -d /usr/local/cuda/include ]; then
  bind "$(readlink -f /usr/local/cuda)" "$root/usr/local/cuda" ro
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

inside() {
  chroot "$root" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
    LANG=C.UTF-8 TERM=dumb CCACHE_DIR=/var/cache/ccache CCACHE_BASEDIR=/ \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    "$@"
}
echo "test-libtorch2: $(inside dpkg-query -W -f='libtorch-dev ${Version}, ' libtorch-dev)$(inside dpkg-query -W -f='clang-19 ${Version}' clang-19)"
build=/opt/torch-tidy-build
inside cmake -S /src -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
inside cmake --build "$build" -j "$jobs"
inside sh -c "cd $build && ctest --output-on-failure -j $jobs"
