#!/usr/bin/env bash
# Brings the whole of StopSync up on the embedded demo dataset: PostgreSQL + PostGIS and Redis (installed and started
# when missing), the migration bundle, the jobs host (Hangfire server) and the site on http://localhost:5001, then one
# pipeline run. Ctrl-C stops everything this script started, and only that.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/services.sh

PORT="${STOPSYNC_PORT:-5001}"
# A variable, because the template's braces cannot stand inside a ${VAR:-default}.
DEFAULT_TILE_URL='https://tile.openstreetmap.org/{z}/{x}/{y}.png'
RUN_DIR="$PWD/.run"
WEB_PID=""
JOBS_PID=""

shutdown() {
  trap - EXIT
  log "stopping"
  [ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null || true
  [ -n "$JOBS_PID" ] && kill "$JOBS_PID" 2>/dev/null || true
  for pid in $WEB_PID $JOBS_PID; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  done
  stopsync_stop_services
}
trap shutdown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use; stop what listens there or set STOPSYNC_PORT"
fi

stopsync_provision_services
command -v curl >/dev/null 2>&1 || apt_install_missing curl  # the health wait below
command -v npm >/dev/null 2>&1 || apt_install_missing nodejs npm
log "restoring web assets (npm ci)"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
dotnet tool restore >/dev/null
log "publishing the web app and the jobs host (Release)"
dotnet publish StopSync.Web/StopSync.Web.csproj -c Release -o artifacts/web -nologo -v:q -clp:ErrorsOnly
dotnet publish StopSync.Jobs/StopSync.Jobs.csproj -c Release -o artifacts/jobs -nologo -v:q -clp:ErrorsOnly
log "building the migration bundle"
dotnet ef migrations bundle --project StopSync.Data --startup-project StopSync.Data -o artifacts/efbundle --force --configuration Release >/dev/null
stopsync_migrate

mkdir -p "$RUN_DIR"
log "generating the demo dataset into data/demo"
dotnet artifacts/jobs/StopSync.Jobs.dll generate-demo --out data/demo

# The site creates the administrator account from these at its first start and never changes it afterwards, so a
# generated password is kept for the next runs (which print the same one). cut, not head: no SIGPIPE under pipefail.
ADMIN_PASSWORD_FILE="$RUN_DIR/admin-password"
if [ -n "${STOPSYNC_ADMIN_PASSWORD:-}" ]; then
  ADMIN_PASSWORD="$STOPSYNC_ADMIN_PASSWORD"
elif [ -s "$ADMIN_PASSWORD_FILE" ]; then
  ADMIN_PASSWORD="$(cat "$ADMIN_PASSWORD_FILE")"
else
  ADMIN_PASSWORD="$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-20)"
  (umask 077 && printf '%s\n' "$ADMIN_PASSWORD" >"$ADMIN_PASSWORD_FILE")
fi
export Admin__UserName="${STOPSYNC_ADMIN_USER:-admin}" Admin__Password="$ADMIN_PASSWORD"
# The site and the jobs host run from different directories; both must write and read the same export files.
export Exports__Directory="$PWD/data/exports"

log "starting the jobs host (Hangfire server; one pipeline run at start-up)"
(
  cd artifacts/jobs
  demo="$(cd ../../data/demo && pwd)"
  export Pipeline__Sources__Atlas__Path="$demo/atlas-traffic-points.csv" Pipeline__Sources__Osm__Path="$demo/osm-stops.xml"
  export Pipeline__Sources__Gtfs__Path="$demo/gtfs.zip" Pipeline__Sources__CacheDirectory="$demo/../cache"
  export Pipeline__Bundles__Directory="$demo/../bundles"
  export Pipeline__RunOnStartup=true DOTNET_ENVIRONMENT=Production
  exec dotnet StopSync.Jobs.dll
) >"$RUN_DIR/jobs.log" 2>&1 &
JOBS_PID=$!

log "starting the site on http://localhost:$PORT"
(
  cd artifacts/web
  export ASPNETCORE_URLS="http://localhost:$PORT" ASPNETCORE_ENVIRONMENT=Production
  # Base map tiles; STOPSYNC_TILE_URL= (empty) keeps the browser off the tile server and shows the offline base map.
  export Map__TileUrl="${STOPSYNC_TILE_URL-$DEFAULT_TILE_URL}"
  exec dotnet StopSync.Web.dll
) >"$RUN_DIR/web.log" 2>&1 &
WEB_PID=$!

for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$WEB_PID" 2>/dev/null || die "the site stopped; see $RUN_DIR/web.log"
  sleep 0.5
done
curl -fsS "http://localhost:$PORT/health" >/dev/null 2>&1 || die "the site did not become healthy; see $RUN_DIR/web.log"

log "waiting for the pipeline run to publish the demo dataset"
for _ in $(seq 1 240); do
  grep -q "Pipeline run .* published" "$RUN_DIR/jobs.log" && break
  grep -q "Pipeline run .* failed" "$RUN_DIR/jobs.log" && die "the pipeline run failed; see $RUN_DIR/jobs.log"
  kill -0 "$JOBS_PID" 2>/dev/null || die "the jobs host stopped; see $RUN_DIR/jobs.log"
  sleep 0.5
done
grep -q "Pipeline run .* published" "$RUN_DIR/jobs.log" || log "the pipeline run is still going; the Data page shows when it is done"

cat <<INFO

  StopSync is running on the demo dataset.

    Map          http://localhost:$PORT/
    Problems     http://localhost:$PORT/problems
    Data         http://localhost:$PORT/data
    Docs         http://localhost:$PORT/docs
    Jobs         http://localhost:$PORT/hangfire
    Accounts     http://localhost:$PORT/admin/accounts   (invite reviewers here)
    Sign in      http://localhost:$PORT/account/login   as $Admin__UserName / $ADMIN_PASSWORD
                 (created at the first run; if this database had that account before, its password is unchanged)
    Health       http://localhost:$PORT/health

    Logs         $RUN_DIR/web.log, $RUN_DIR/jobs.log
    Run again    trigger "pipeline" on the dashboard's Recurring Jobs page (the jobs host reads the demo files)

  Press Ctrl-C to stop.

INFO
wait -n "$WEB_PID" "$JOBS_PID" || true
log "a process stopped by itself; see $RUN_DIR/web.log and $RUN_DIR/jobs.log"
exit 1
