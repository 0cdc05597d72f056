#!/usr/bin/env bash
# Installs schemathesis, pinned with its dependencies in tests/spec/requirements.txt, into a
# virtualenv under the user's cache named after that file's hash, unless it is there already.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${XDG_CACHE_HOME:-$HOME/.cache}/kandid/schemathesis-$(sha256sum tests/spec/requirements.txt | cut -c1-12)"
[ -x "$venv/bin/schemathesis" ] && exit 0
command -v python3 >/dev/null || (apt-get update && apt-get install -y --no-install-recommends python3)
rm -rf "$venv"
if ! python3 -m venv "$venv" 2>/dev/null; then
  # Debian ships the venv module (and the pip it seeds) as a package of its own.
  rm -rf "$venv"
  apt-get update && apt-get install -y --no-install-recommends python3-venv
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/spec/requirements.txt
"$venv/bin/schemathesis" --version
