#!/usr/bin/env bash
# Debian packages the project needs: Chromium for end-to-end tests (with its translations,
# so date and file inputs read as a Chinese user sees them), CJK fonts and Pango for PDFs,
# HarfBuzz's font subsetter (WeasyPrint's fast path for embedding fonts), poppler for
# checking PDFs, zbar for QR decoding.
set -euo pipefail
packages=(chromium chromium-l10n fonts-noto-cjk fonts-noto-core poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libzbar0 gettext)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
