#!/usr/bin/env bash
# Installs the Debian packages Hotline builds, runs and tests with, and only
# the ones that are missing, so a second run costs a dpkg query and no more.
set -euo pipefail

build_pkgs=(gcc make pkg-config libre-dev libspandsp-dev libsndfile1-dev tzdata
            libespeak-ng-dev espeak-ng-data libsqlite3-dev libjansson-dev
            libsodium-dev g++ libphonenumber-dev libicu-dev nodejs
            libxlsxwriter-dev zlib1g-dev libexpat1-dev
            libwebrtc-audio-processing-dev)
test_pkgs=(libcmocka-dev sip-tester baresip curl python3 sqlite3 sox openssl
           chromium firefox-esr fonts-wqy-microhei python3-openpyxl)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")
# The console's libraries come from npm at build time (scripts/web.sh).
# Debian's nodejs leaves npm to its own package; other builds of nodejs
# carry it and conflict with that package, so it is asked for only when
# there is no npm at all.
command -v npm >/dev/null || want+=(npm)

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
	$sudo apt-get update
	$sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
