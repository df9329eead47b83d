#!/usr/bin/env bash
# Installs what the whole test suite needs, idempotently: the virtualenv with the pinned
# test requirements, axe-core from npm for the accessibility tests, and Debian's Chromium
# for the browser tests (Playwright's own browser download does not work here, so the
# tests drive /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# axe-core for the accessibility tests, pinned by tests/a11y/package-lock.json
if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/a11y --no-audit --no-fund --silent
fi
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
fi
# nginx for the several-servers test (tests/deploy), from Debian like chromium
if [ ! -x /usr/sbin/nginx ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nginx
fi
