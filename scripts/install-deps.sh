#!/usr/bin/env bash
# Installs the Debian packages torch-tidy needs. Idempotent: packages already
# installed are skipped, and the package index is refreshed only when
# something is missing. With --list it prints the packages a machine
# without Node.js needs (scripts/test-libtorch2.sh installs them in its
# root) and installs nothing.
set -euo pipefail

packages=(
  cmake make
  clang-19 libclang-19-dev llvm-19-dev clang-tidy-19 llvm-19-tools
  libtorch-dev nlohmann-json3-dev libgtest-dev
  # test/fuzz and `make test-sanitize`: libFuzzer, ASan and UBSan runtimes
  libclang-rt-19-dev
  # test/tool-integrations: pre-commit, YAML parsing of the CI examples, git
  pre-commit python3-yaml git
  # test/lsp: the editor tests run Neovim's built-in client and Emacs's
  # eglot and lsp-mode
  neovim emacs-nox elpa-eglot elpa-lsp-mode
)
# test/tool-integrations installs the SARIF multitool with npm. A nodejs from
# elsewhere (e.g. NodeSource) bundles npm and conflicts with Debian's npm.
if [ "${1:-}" = --list ]; then
  echo "${packages[@]}" nodejs npm
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
