#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Sijill needs beyond Python itself: Qt's native
# libraries (offscreen and under Xvfb), poppler for checking PDFs, PostgreSQL server
# binaries for the throwaway test cluster, and python3-venv.
# Idempotent: when everything is already installed it does nothing (no apt-get update).
set -euo pipefail

packages=(
    # Qt offscreen (QT_QPA_PLATFORM=offscreen); a missing one shows as ImportError: libGL.so.1
    libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
    # A real window under Xvfb (screenshots, manual checks)
    xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
    # pdftotext, pdffonts, pdftoppm: tests read back the PDFs we print
    poppler-utils
    # initdb/pg_ctl for the test cluster started by tests/conftest.py
    postgresql
    python3-venv
)

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

missing=()
for pkg in "${packages[@]}"; do
    # Ubuntu 24.04 renamed some libraries with a t64 suffix (libglib2.0-0t64); either will do.
    is_installed "$pkg" || is_installed "${pkg}t64" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "setup-system: these Debian packages are missing: ${missing[*]}" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
