#!/usr/bin/env bash
# Runs every test of StopSync against real PostgreSQL + PostGIS and Redis (installed and started when missing) and
# Debian's Chromium. Exits non-zero on any failure. Extra arguments go to `dotnet test` (e.g. --filter Name~Map).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/services.sh

started_at=$(date +%s)
trap stopsync_stop_services EXIT
stopsync_provision_services
stopsync_provision_test_tools
stopsync_build Debug

# The real samples some tests read: ../shared/data beside the repository when it is there, else fetched from their
# public origins into .cache/test-data (docs/02-running.md, "Test data").
if [ -z "${STOPSYNC_TEST_DATA:-}" ] && [ ! -d ../shared/data ]; then
  command -v curl >/dev/null 2>&1 || apt_install_missing curl
  log "fetching the test samples (scripts/fetch-test-data.sh)"
  export "$(scripts/fetch-test-data.sh)"
fi

log "running the tests"
mkdir -p artifacts
set +e
dotnet test StopSync.slnx --no-build -c Debug --nologo "$@" 2>&1 | tee artifacts/test-output.log
status=${PIPESTATUS[0]}
set -e

summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' artifacts/test-output.log | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "$passed passed, $failed failed, $skipped skipped"
fi
log "finished in $(( $(date +%s) - started_at )) s (exit $status)"
exit "$status"
