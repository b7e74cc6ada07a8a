#!/usr/bin/env bash
# The Debian packages that no Python wheel can replace. `make run` and `make test` call
# this first: as root it installs what is missing (non-interactive); otherwise it stops
# at once with the one command to run.
#   run:  Pango and HarfBuzz-Subset, which WeasyPrint loads to lay out and subset PDFs.
#   test: those, Chromium with its translations (date and file inputs read as a Chinese
#         user sees them) for the browser tests, gettext for the translations test, and
#         nginx, openssl and systemd to check the deployment files (tests/deploy/).
# No argument: both. Fonts, QR decoding and PDF rendering in tests come from wheels.
set -euo pipefail
runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
testing=(chromium chromium-l10n gettext nginx openssl systemd)
target="${1:-test}"
case "$target" in
  run) packages=("${runtime[@]}") ;;
  test) packages=("${runtime[@]}" "${testing[@]}") ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages ${missing[*]}: run 'sudo bash scripts/install-system-packages.sh $target', then 'make $target' again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (a shared machine) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=600 update -qq
# Packages install without starting their services (nginx would take port 80).
policy=/usr/sbin/policy-rc.d
[ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; trap 'rm -f "$policy"' EXIT; }
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
echo "Installed Debian packages: ${missing[*]}"
