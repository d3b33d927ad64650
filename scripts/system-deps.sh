#!/usr/bin/env bash
# Installs the Debian packages the project uses, only when they are missing.
#   system-deps.sh venv   what `python3 -m venv` needs (Debian splits it into python3-venv)
#   system-deps.sh        what the tests use: chromium (browser tests), postgresql (a real
#                         database server), nginx (a real reverse proxy), wrk (HTTP load),
#                         openssl (a test certificate for HTTPS), faketime (the suite run
#                         at other dates), Java and npm (the Nu HTML Checker, vnu.jar,
#                         from npm into tools/vnu, run with Debian's Java)
# Nothing downloads a browser or binary of its own.
set -euo pipefail

need=()
if [ "${1:-}" = "venv" ]; then
  python="${PYTHON:-python3}"
  "$python" -c "import ensurepip, venv" 2> /dev/null && exit 0
  minor=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  need+=("python${minor}-venv")
fi
if [ "${1:-}" != "venv" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || need+=(postgresql)
  command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v wrk > /dev/null || need+=(wrk)
  command -v openssl > /dev/null || need+=(openssl)
  command -v faketime > /dev/null || need+=(faketime)
  command -v java > /dev/null || need+=(default-jre-headless)
  command -v npm > /dev/null || need+=(npm)
fi

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
