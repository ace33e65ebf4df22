#!/usr/bin/env bash
# The alert rules (deploy/prometheus) are checked with promtool. Prints the path of a promtool binary: the one on
# PATH, else $FEEDCTL_HOME/promtool/promtool (default ~/.cache/feedctl), else it fetches Debian's `prometheus`
# package with `apt-get download`, unpacks it with `dpkg-deb -x` and keeps only promtool there — no install, no
# server started, no root needed unless the package lists must be refreshed. `--no-install` only looks (tests use it).
set -euo pipefail
home="${FEEDCTL_HOME:-$HOME/.cache/feedctl}"
home="${home/#\~/$HOME}"
cache="$home/promtool"
cached="$cache/promtool"

if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi
if [ -x "$cached" ]; then echo "$cached"; exit 0; fi
if [ "${1:-}" = "--no-install" ]; then
  echo "feedctl: promtool not found on PATH nor at $cached (bash scripts/ensure-promtool.sh fetches it)" >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
  echo "feedctl: fetching promtool (apt-get download prometheus) into $cache" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download -qq prometheus >/dev/null 2>&1); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; } || true
    if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then $sudo apt-get update -qq >/dev/null || true; fi
    (cd "$tmp" && apt-get download -qq prometheus >/dev/null) || true
  fi
  ls "$tmp"/prometheus_*.deb >/dev/null 2>&1 &&
    dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/pkg" &&
    mkdir -p "$cache" &&
    cp "$tmp/pkg/usr/bin/promtool" "$cached.partial" && mv -f "$cached.partial" "$cached"
  if [ -x "$cached" ]; then echo "$cached"; exit 0; fi
fi
echo "feedctl: the tests need promtool (Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus)" >&2
exit 1
