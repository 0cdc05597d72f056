#!/usr/bin/env bash
# Installs the pinned schemathesis (tests/spec/VERSION) into a virtualenv under the user's
# cache, unless it is there already.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(cat tests/spec/VERSION)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/kandid/schemathesis-$version"
[ -x "$venv/bin/schemathesis" ] && exit 0
command -v python3 >/dev/null || (apt-get update && apt-get install -y --no-install-recommends python3)
rm -rf "$venv"
if ! python3 -m venv "$venv" 2>/dev/null; then
  # Debian ships the venv module (and the pip it seeds) as a package of its own.
  rm -rf "$venv"
  apt-get update && apt-get install -y --no-install-recommends python3-venv
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
"$venv/bin/schemathesis" --version
