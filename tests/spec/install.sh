#!/usr/bin/env bash
# Installs the pinned schemathesis (tests/spec/VERSION) into a virtualenv under the user's
# cache, unless it is there already; prints nothing when it is.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(cat tests/spec/VERSION)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/kandid/schemathesis-$version"
[ -x "$venv/bin/schemathesis" ] && exit 0
# Debian's Python needs its venv module as a package of its own.
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null ||
  (apt-get update && apt-get install -y --no-install-recommends python3-venv)
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
"$venv/bin/schemathesis" --version
