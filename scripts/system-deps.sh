#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/apt/<group>.txt that are missing.
# Usage: scripts/system-deps.sh base [test bench ...]
# Fast when everything is present (one dpkg-query per package), so `make` runs it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for group in "${@:-base}"; do
  list="scripts/apt/${group}.txt"
  [ -f "$list" ] || { echo "system-deps: no package list $list" >&2; exit 2; }
  while read -r pkg; do
    [ -z "$pkg" ] && continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list")
done

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "system-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "system-deps: installing ${missing[*]}"
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
