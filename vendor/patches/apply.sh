#!/usr/bin/env bash
# The vendored crates as published on crates.io plus kandid's patch series.
#
#   vendor/patches/apply.sh            rebuild vendor/<crate> from the crate cargo downloads
#                                      and vendor/patches/<crate>/*.patch, in order
#   vendor/patches/apply.sh --check    fail, showing the difference, when that result is not
#                                      the tree cargo builds (vendor/<crate>)
#   vendor/patches/apply.sh --git DIR  a git repository per crate in DIR: the published crate
#                                      as the commit `pristine`, each patch a commit on top
#                                      (`git am`), to edit the series and write it back with
#                                      `git format-patch --zero-commit --no-signature -o
#                                      vendor/patches/<crate> pristine..`
#
# The published sources come from cargo itself: a throwaway manifest that depends on the
# exact versions below, without kandid's [patch.crates-io], and `cargo fetch`. Upgrading is
# bumping a version here (and in vendor/<crate>/Cargo.toml through the patches), running
# this script and resolving the patch that no longer applies (vendor/README.md).
set -euo pipefail

# crate=version, in the order they are checked.
CRATES=(engineioxide=0.17.9 socketioxide=0.18.9 sea-orm=2.0.4)
# Files of the vendored trees that are kandid's own, not the crate's nor a patch's.
OWN=(README-KANDID.md)
# What cargo adds when it unpacks a crate, which the vendored trees leave out.
UNPACKED=(.cargo-ok .cargo_vcs_info.json Cargo.toml.orig Cargo.lock)

here=$(cd "$(dirname "$0")" && pwd)
vendor=$(dirname "$here")
mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --git) mode=git; gitdir=${2:?usage: apply.sh --git DIR} ;;
  *) echo "usage: $0 [--check | --git DIR]" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The published sources, unpacked by cargo in its registry.
mkdir -p "$work/fetch/src"
touch "$work/fetch/src/lib.rs"
{
  printf '[package]\nname = "vendor-pristine"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n'
  for c in "${CRATES[@]}"; do printf '%s = "=%s"\n' "${c%%=*}" "${c#*=}"; done
} >"$work/fetch/Cargo.toml"
cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"

status=0
for c in "${CRATES[@]}"; do
  name=${c%%=*} version=${c#*=}
  src=$(find "$registry" -mindepth 2 -maxdepth 2 -type d -name "$name-$version" | head -n 1)
  [ -n "$src" ] || { echo "$name $version: not found under $registry after cargo fetch" >&2; exit 1; }
  out="$work/out/$name"
  mkdir -p "$work/out"
  # Fresh modification times: cargo rebuilds what is older than its last build only.
  cp -R "$src" "$out"
  for f in "${UNPACKED[@]}"; do rm -f "$out/$f"; done

  if [ "$mode" = git ]; then
    repo="$gitdir/$name"
    [ ! -e "$repo" ] || { echo "$repo exists" >&2; exit 1; }
    mkdir -p "$gitdir"
    cp -a "$out" "$repo"
    git -C "$repo" init -q
    git -C "$repo" add -A
    git -C "$repo" -c user.name=kandid -c user.email=kandid@localhost commit -q -m "$name $version as published"
    git -C "$repo" tag -f pristine >/dev/null
    git -C "$repo" -c user.name=kandid -c user.email=kandid@localhost am -q --committer-date-is-author-date "$here/$name"/*.patch
    echo "$repo: $(git -C "$repo" rev-list --count pristine..HEAD) patches on $name $version"
    continue
  fi

  for p in "$here/$name"/*.patch; do
    if ! (cd "$out" && git apply --whitespace=nowarn "$p") >"$work/patch.log" 2>&1; then
      echo "$name $version: $(basename "$p") does not apply:" >&2
      cat "$work/patch.log" >&2
      exit 1
    fi
  done

  if [ "$mode" = write ]; then
    mkdir -p "$vendor/$name"
    for f in "${OWN[@]}"; do [ ! -e "$vendor/$name/$f" ] || cp -a "$vendor/$name/$f" "$out/"; done
    rm -rf "$vendor/$name"
    cp -R "$out" "$vendor/$name"
    echo "vendor/$name: $name $version and $(ls "$here/$name"/*.patch | wc -l) patches"
  else
    diff_excludes=()
    for f in "${OWN[@]}"; do diff_excludes+=(-x "$f"); done
    if diff -ruN "${diff_excludes[@]}" "$out" "$vendor/$name" >"$work/diff"; then
      echo "vendor/$name: $name $version and its patches, as built"
    else
      echo "vendor/$name differs from $name $version and vendor/patches/$name (-patched, +built):" >&2
      sed "s|$out|$name $version + patches|g; s|$vendor/|vendor/|g" "$work/diff" >&2
      status=1
    fi
  fi
done
exit $status
