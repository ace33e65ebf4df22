#!/usr/bin/env bash
# The status page's tests drive a real browser: Debian's chromium, through playwright-core (which downloads none).
# Installs it with apt-get when it is missing and this user can (root, or passwordless sudo); otherwise says what to
# install. FEEDCTL_CHROMIUM names another Chromium or Chrome binary.
set -euo pipefail
[ -n "${FEEDCTL_CHROMIUM:-}" ] && [ -x "$FEEDCTL_CHROMIUM" ] && exit 0
command -v chromium >/dev/null 2>&1 && exit 0
[ -x /usr/bin/google-chrome ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; } || true
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "feedctl: installing chromium for the status page tests (apt-get)" >&2
    $sudo apt-get install -y -qq chromium >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null; }
    exit 0
  fi
fi
echo "feedctl: the tests need Chromium (Debian/Ubuntu: apt-get install chromium), or FEEDCTL_CHROMIUM=<path to chrome>" >&2
exit 1
