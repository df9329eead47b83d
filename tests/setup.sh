#!/usr/bin/env bash
# Installs what the whole test suite needs, idempotently: the virtualenv with the pinned
# test requirements, and Debian's Chromium for the browser tests (Playwright's own
# browser download does not work here, so the tests drive /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
fi
