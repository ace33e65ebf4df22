#!/usr/bin/env bash
# Tests read Kafka with kcat, a client independent of kafkajs. Installs it with apt-get when it is missing and this
# user can (root, or passwordless sudo); otherwise says what to install.
set -euo pipefail
command -v kcat >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; } || true
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "feedctl: installing kcat (apt-get)" >&2
    $sudo apt-get install -y -qq kcat >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq kcat; }
    exit 0
  fi
fi
echo "feedctl: the tests need kcat (Debian/Ubuntu: apt-get install kcat; macOS: brew install kcat)" >&2
exit 1
