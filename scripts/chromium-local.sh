#!/usr/bin/env bash
# Installs the browser the web console tests drive (test/console*.test.ts, through playwright-core): Debian's
# `chromium` package at /usr/bin/chromium (apt-get; sudo when not root). Nothing is downloaded from elsewhere:
# playwright-core brings no browser of its own.
#
#   scripts/chromium-local.sh install    install it when missing; print its version
set -euo pipefail

log() { echo "chromium-local: $*" >&2; }

install() {
  if ! command -v chromium >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    log "installing chromium from Debian"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  log "$(chromium --version 2>/dev/null || echo 'chromium installed but does not run')"
}

case "${1:-}" in
  install) install ;;
  *)
    echo "usage: scripts/chromium-local.sh install" >&2
    exit 2
    ;;
esac
