#!/usr/bin/env bash
# Fetches the real samples that some tests read (listed with their sha256 and public origin in
# scripts/test-data.sha256) into a test-data folder, checks every file's digest and prints the setting the tests need.
#
# Usage: scripts/fetch-test-data.sh [--dir DIR] [--mirror URL]
#   --dir DIR     the folder to fill. Default: $STOPSYNC_TEST_DATA when set (a relative value is relative to the
#                 repository root, as in the tests), else .cache/test-data in the repository.
#   --mirror URL  download <URL>/<path in the folder> instead of each file's origin, e.g. a copy of the folder served
#                 over HTTP. Default: $STOPSYNC_TEST_DATA_MIRROR.
#
# A file already in the folder with the right digest is not downloaded again; one with another digest is replaced.
# Progress and errors go to stderr. stdout gets one line, STOPSYNC_TEST_DATA=<absolute folder>, so
# `scripts/fetch-test-data.sh >> "$GITHUB_ENV"` hands the setting to later CI steps.
# Exit status: 0 every file is in place; 1 a download failed or a digest differs (each such file is named and none is
# left in the folder); 2 bad arguments.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest="$repo/scripts/test-data.sha256"

say() { printf '[test-data] %s\n' "$*" >&2; }
usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; }
bad_usage() { say "$1"; usage; exit 2; }

dir=""
mirror="${STOPSYNC_TEST_DATA_MIRROR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || bad_usage "--dir needs a folder"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --mirror) [ $# -ge 2 ] || bad_usage "--mirror needs a URL"; mirror=$2; shift 2 ;;
    --mirror=*) mirror=${1#--mirror=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) bad_usage "unknown argument '$1'" ;;
  esac
done

if [ -z "$dir" ]; then
  dir=${STOPSYNC_TEST_DATA:-.cache/test-data}
  case "$dir" in /*) ;; *) dir="$repo/$dir" ;; esac
fi
mkdir -p "$dir" || { say "error: cannot create the folder $dir"; exit 1; }
dir=$(cd "$dir" && pwd)

command -v curl >/dev/null || { say "error: curl is needed (Debian: apt-get install curl)"; exit 1; }
if command -v sha256sum >/dev/null; then
  sha256_of() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null; then
  sha256_of() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  say "error: sha256sum (coreutils) or shasum is needed"; exit 1
fi

say "folder: $dir"
[ -z "$mirror" ] || say "mirror: $mirror"

failures=()
kept=0
downloaded=0
while read -r digest path origin _; do
  case "$digest" in '' | '#'*) continue ;; esac
  target="$dir/$path"

  if [ -f "$target" ]; then
    actual=$(sha256_of "$target")
    if [ "$actual" = "$digest" ]; then
      say "present     $path"
      kept=$((kept + 1))
      continue
    fi
    # A wrong copy would make the tests fail on content rather than on the missing file: never keep one.
    say "replacing   $path (its sha256 is $actual, expected $digest)"
    rm -f "$target" || { failures+=("$path: cannot remove the copy with the wrong digest"); continue; }
  fi

  url=$origin
  [ -z "$mirror" ] || url="${mirror%/}/$path"
  mkdir -p "$(dirname "$target")"
  part="$target.part"
  if ! error=$(curl --fail --location --max-redirs 5 --proto '=http,https' --silent --show-error \
      --retry 3 --connect-timeout 20 --max-time 600 --output "$part" "$url" 2>&1 </dev/null); then
    rm -f "$part"
    failures+=("$path: download from $url failed: ${error:-curl exited non-zero}")
    continue
  fi

  actual=$(sha256_of "$part")
  if [ "$actual" != "$digest" ]; then
    rm -f "$part"
    failures+=("$path: the file from $url has sha256 $actual, expected $digest (see scripts/test-data.sha256)")
    continue
  fi
  mv -f "$part" "$target"
  say "downloaded  $path"
  downloaded=$((downloaded + 1))
done <"$manifest"

if [ ${#failures[@]} -gt 0 ]; then
  for failure in "${failures[@]}"; do say "error: $failure"; done
  say "${#failures[@]} file(s) missing from $dir; the tests that read them will fail"
  exit 1
fi

say "$kept already present, $downloaded downloaded; licences and attribution: scripts/test-data.sha256"
printf 'STOPSYNC_TEST_DATA=%s\n' "$dir"
