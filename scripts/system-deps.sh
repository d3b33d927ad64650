#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when they are missing:
# chromium (browser tests), postgresql (a real database server), nginx (a real reverse
# proxy) and wrk (HTTP load). Nothing downloads a browser or binary of its own.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || need+=(postgresql)
command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk > /dev/null || need+=(wrk)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || { echo "Need root (or sudo) to install ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
# Debian starts services on install; the tests start their own on free ports.
$sudo service nginx stop > /dev/null 2>&1 || true
$sudo service postgresql stop > /dev/null 2>&1 || true
