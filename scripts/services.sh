#!/usr/bin/env bash
# Provisioning shared by run.sh and test.sh (sourced, not executed).
# - With ConnectionStrings__StopSync and ConnectionStrings__Redis set, those servers are used and nothing is installed.
# - Otherwise PostgreSQL + PostGIS and Redis are installed from Debian packages when missing, started without systemd
#   on 127.0.0.1, and the role, databases and PostGIS extension are created; all steps are idempotent.
# - stopsync_stop_services stops only what this script started.

STOPSYNC_PG_PORT="${STOPSYNC_PG_PORT:-5432}"
STOPSYNC_REDIS_PORT="${STOPSYNC_REDIS_PORT:-6379}"
STOPSYNC_STARTED_PG=""
STOPSYNC_STARTED_REDIS=0

# Colours only on a terminal, so logs written to files stay plain.
if [ -t 2 ]; then STOPSYNC_BLUE=$'\033[1;34m' STOPSYNC_RED=$'\033[1;31m' STOPSYNC_OFF=$'\033[0m'; else STOPSYNC_BLUE='' STOPSYNC_RED='' STOPSYNC_OFF=''; fi
log() { printf '%s[stopsync]%s %s\n' "$STOPSYNC_BLUE" "$STOPSYNC_OFF" "$*" >&2; }
die() { printf '%s[stopsync] error:%s %s\n' "$STOPSYNC_RED" "$STOPSYNC_OFF" "$*" >&2; exit 1; }

# Server NOTICEs ("already exists, skipping") are noise on every run after the first.
as_postgres() { (cd /tmp && PGOPTIONS='--client-min-messages=warning' runuser -u postgres -- "$@"); }

apt_install_missing() {
  local missing=()
  # `dpkg -s` also succeeds for a removed package whose configuration files remain: ask for the installed state.
  for pkg in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (run as root or install them first)"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_major() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
  echo "${v:-15}"
}

provision_postgres() {
  apt_install_missing postgresql
  local major; major=$(pg_major)
  apt_install_missing "postgresql-$major-postgis-3"
  pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$major main" || pg_createcluster "$major" main --port "$STOPSYNC_PG_PORT" >/dev/null
  if ! pg_ctlcluster "$major" main status >/dev/null 2>&1; then
    log "starting PostgreSQL $major"
    pg_ctlcluster "$major" main start
    STOPSYNC_STARTED_PG="$major"
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$STOPSYNC_PG_PORT" && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 -p "$STOPSYNC_PG_PORT" || die "PostgreSQL did not accept connections on 127.0.0.1:$STOPSYNC_PG_PORT"
  # CREATEDB lets the tests create throw-away databases from the PostGIS template below.
  as_postgres psql -q -v ON_ERROR_STOP=1 -p "$STOPSYNC_PG_PORT" <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stopsync') THEN
    CREATE ROLE stopsync LOGIN CREATEDB PASSWORD 'stopsync';
  ELSE
    ALTER ROLE stopsync LOGIN CREATEDB;
  END IF;
END$$;
SQL
  local db
  for db in stopsync stopsync_template; do
    as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" -p "$STOPSYNC_PG_PORT" | grep -q 1 \
      || as_postgres createdb -p "$STOPSYNC_PG_PORT" -O stopsync "$db"
    # PostGIS is not a trusted extension: the superuser creates it before the migrator runs.
    as_postgres psql -q -p "$STOPSYNC_PG_PORT" -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null
  done
  as_postgres psql -q -p "$STOPSYNC_PG_PORT" -c "ALTER DATABASE stopsync_template IS_TEMPLATE true" >/dev/null
  export ConnectionStrings__StopSync="Host=127.0.0.1;Port=$STOPSYNC_PG_PORT;Database=stopsync;Username=stopsync;Password=stopsync"
}

provision_redis() {
  apt_install_missing redis-server
  if ! redis-cli -h 127.0.0.1 -p "$STOPSYNC_REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis on 127.0.0.1:$STOPSYNC_REDIS_PORT"
    # noeviction: Hangfire's job data must never be evicted to make room. The append-only file (in a directory that
    # survives reboots) keeps the recurring job, queued runs and the pipeline status across a Redis restart.
    mkdir -p "${STOPSYNC_REDIS_DIR:=/var/lib/stopsync-redis}" && redis-server --daemonize yes --port "$STOPSYNC_REDIS_PORT" --bind 127.0.0.1 \
      --save '' --appendonly yes --appendfsync everysec --dir "$STOPSYNC_REDIS_DIR" --maxmemory-policy noeviction \
      --pidfile "/tmp/stopsync-redis-$STOPSYNC_REDIS_PORT.pid" --logfile "/tmp/stopsync-redis-$STOPSYNC_REDIS_PORT.log"
    STOPSYNC_STARTED_REDIS=1
    for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p "$STOPSYNC_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
    redis-cli -h 127.0.0.1 -p "$STOPSYNC_REDIS_PORT" ping >/dev/null 2>&1 || die "Redis did not start (see /tmp/stopsync-redis-$STOPSYNC_REDIS_PORT.log)"
  fi
  export ConnectionStrings__Redis="127.0.0.1:$STOPSYNC_REDIS_PORT,abortConnect=false"
}

stopsync_provision_services() {
  if [ -n "${ConnectionStrings__StopSync:-}" ] && [ -n "${ConnectionStrings__Redis:-}" ]; then
    log "using the servers named in ConnectionStrings__StopSync and ConnectionStrings__Redis (nothing installed)"
    return 0
  fi
  [ -n "${ConnectionStrings__StopSync:-}" ] || provision_postgres
  [ -n "${ConnectionStrings__Redis:-}" ] || provision_redis
}

stopsync_stop_services() {
  if [ "$STOPSYNC_STARTED_REDIS" = 1 ]; then
    log "stopping Redis"
    redis-cli -h 127.0.0.1 -p "$STOPSYNC_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [ -n "$STOPSYNC_STARTED_PG" ]; then
    log "stopping PostgreSQL"
    pg_ctlcluster "$STOPSYNC_STARTED_PG" main stop || true
  fi
}

# Restores npm assets, the local dotnet-ef tool and the solution, builds it, and builds the migration bundle.
stopsync_build() {
  local configuration="${1:-Debug}"
  command -v npm >/dev/null 2>&1 || apt_install_missing nodejs npm
  log "restoring web assets (npm ci)"
  (cd StopSync.Web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  dotnet tool restore >/dev/null
  log "building ($configuration)"
  dotnet build StopSync.slnx -c "$configuration" -nologo -clp:ErrorsOnly -v:q
  log "building the migration bundle"
  dotnet ef migrations bundle --project StopSync.Data --startup-project StopSync.Data -o artifacts/efbundle --force \
    --configuration "$configuration" >/dev/null
}

stopsync_migrate() {
  log "applying migrations (migration bundle)"
  ./artifacts/efbundle --connection "$ConnectionStrings__StopSync" >/tmp/stopsync-migrate.log 2>&1 \
    || { cat /tmp/stopsync-migrate.log >&2; die "the migration bundle failed"; }
}

# Tools the tests drive: Chromium (Playwright uses it, never a downloaded browser) and docker-compose (to validate the
# compose files offline). An executable CHROMIUM_PATH or STOPSYNC_COMPOSE / an installed docker-compose skips them.
stopsync_provision_test_tools() {
  if [ -z "${CHROMIUM_PATH:-}" ] || [ ! -x "${CHROMIUM_PATH:-}" ]; then
    apt_install_missing chromium fonts-liberation
    export CHROMIUM_PATH=/usr/bin/chromium
  fi
  if [ -z "${STOPSYNC_COMPOSE:-}" ] && ! command -v docker-compose >/dev/null 2>&1; then
    apt_install_missing docker-compose
  fi
}
