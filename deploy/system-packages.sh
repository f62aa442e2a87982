#!/usr/bin/env sh
# The Debian packages Vidhuk needs beside its Python packages, checked (and installed when run as
# root with apt) by `make run` and `make test`. Prints exactly what is missing otherwise.
#   deploy/system-packages.sh run    — what the app needs to serve, make PDF letters and OCR scans
#   deploy/system-packages.sh test   — the same plus what the test suite drives (Chromium, Dovecot)
set -eu

RUN_PACKAGES="fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 shared-mime-info ocrmypdf tesseract-ocr-ukr"
# Chromium for the browser journeys, Dovecot as the IMAP server the inbound-mail tests read.
TEST_PACKAGES="chromium dovecot-imapd"

case "${1:-run}" in
  run) wanted="$RUN_PACKAGES" ;;
  test) wanted="$RUN_PACKAGES $TEST_PACKAGES" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg >/dev/null 2>&1; then
  echo "system packages: not a Debian system; make sure these (or their equivalents) are installed: $wanted"
  exit 0
fi

missing=""
# A Debian Python needs python3-venv for `python3 -m venv` (a Python built elsewhere has ensurepip).
python3 -c "import ensurepip" >/dev/null 2>&1 || missing=" python3-venv"
for pkg in $wanted; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi

echo "system packages missing:$missing" >&2
echo "install them with: sudo apt-get install$missing" >&2
exit 1
