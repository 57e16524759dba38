#!/usr/bin/env bash
# Install the Debian/Ubuntu libraries that Qt needs, only those missing.
set -euo pipefail

packages=(
  python3-venv libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "No es Debian/Ubuntu: instale a mano las bibliotecas de Qt 6." >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
# python3-venv is not needed when python3 already brings venv (pyenv, etc.).
if python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
read -r -a missing <<<"${missing[*]}"
((${#missing[@]})) || exit 0

echo "Instalando bibliotecas del sistema: ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
