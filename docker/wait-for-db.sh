#!/usr/bin/env bash
# Entrypoint helper: waits until the PostgreSQL server named in ConnectionStrings__StopSync accepts TCP
# connections, then replaces itself with the given command ("$@").
#
#   ConnectionStrings__StopSync  Npgsql connection string, e.g. Host=db;Port=5432;Database=stopsync;...
#                                (Host/Server and Port keys, case-insensitive; Port defaults to 5432;
#                                the first of several hosts is used; "host:port" is understood).
#   DB_WAIT_SECONDS              how long to wait before giving up (default 60; 0 = do not wait).
set -euo pipefail

log() { printf 'wait-for-db: %s\n' "$*" >&2; }

trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

unquote() {
  local s="$1"
  if [[ ${#s} -ge 2 && ( ( $s == \"*\" ) || ( $s == \'*\' ) ) ]]; then
    s="${s:1:${#s}-2}"
  fi
  printf '%s' "$s"
}

if [[ $# -eq 0 ]]; then
  log "usage: wait-for-db.sh <command> [args...]"
  exit 64
fi

limit="${DB_WAIT_SECONDS:-60}"
if ! [[ $limit =~ ^[0-9]+$ ]]; then
  log "DB_WAIT_SECONDS must be a whole number of seconds, got '$limit'"
  exit 64
fi
if [[ $limit -eq 0 ]]; then
  log "DB_WAIT_SECONDS=0: not waiting for the database"
  exec "$@"
fi

connection_string="${ConnectionStrings__StopSync:-}"
if [[ -z $connection_string ]]; then
  log "ConnectionStrings__StopSync is not set; cannot tell which database to wait for"
  log "(set it, e.g. Host=db;Port=5432;Database=stopsync;Username=stopsync;Password=..., or DB_WAIT_SECONDS=0 to skip)"
  exit 64
fi

host=""
port=""
IFS=';' read -r -a parts <<< "$connection_string"
for part in "${parts[@]}"; do
  [[ $part == *=* ]] || continue
  key="$(trim "${part%%=*}")"
  value="$(unquote "$(trim "${part#*=}")")"
  case "${key,,}" in
    host | server) host="$value" ;;
    port) port="$value" ;;
  esac
done

# Several hosts ("a,b:5433") -> the first one; "[::1]:5433" / "db:5433" -> host and port.
host="$(trim "${host%%,*}")"
if [[ $host == \[*\]* ]]; then
  rest="${host#*]}"
  host="${host#[}"
  host="${host%%]*}"
  if [[ $rest == :* && -n ${rest#:} ]]; then
    port="${rest#:}"
  fi
elif [[ $host == *:* && $host != *:*:* ]]; then
  port="${host#*:}"
  host="${host%%:*}"
fi
port="$(trim "${port:-5432}")"

if [[ -z $host ]]; then
  log "no Host= in ConnectionStrings__StopSync; cannot tell which server to wait for"
  exit 64
fi
if [[ $host == /* ]]; then
  log "Host=$host is a Unix socket directory; skipping the TCP check"
  exec "$@"
fi
if ! [[ $port =~ ^[0-9]+$ ]]; then
  log "Port '$port' in ConnectionStrings__StopSync is not a number"
  exit 64
fi

probe() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$host" "$port" 2>/dev/null
  else
    bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$host" "$port" 2>/dev/null
  fi
}

started=$SECONDS
deadline=$((SECONDS + limit))
log "waiting up to ${limit}s for PostgreSQL at ${host}:${port}"
until probe; do
  if [[ $SECONDS -ge $deadline ]]; then
    log "gave up after ${limit}s: nothing accepted a TCP connection on ${host}:${port}"
    log "check that the database is running and that ConnectionStrings__StopSync names it (raise DB_WAIT_SECONDS for slow starts)"
    exit 1
  fi
  sleep 1
done
log "${host}:${port} accepts connections (after $((SECONDS - started))s); starting: $*"
exec "$@"
