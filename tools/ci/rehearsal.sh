#!/usr/bin/env bash
# Rehearse a deployment from the Procfile's own lines, with faults; exit status 1 on any failed check.
#
#   tools/ci/rehearsal.sh        (DATABASE_URL=postgres://clea:clea@127.0.0.1:5432/clea_rehearsal by default)
#
# 1. Drops and recreates the database of DATABASE_URL (its name must contain "rehearsal"), runs the
#    Procfile's release line (bin/release) with config.settings.prod, then loads the demo data.
# 2. Starts the Procfile's web (×2, WEB_CONCURRENCY=1, PORT from honcho), scheduler and worker (×3) lines
#    with honcho. Honcho stops every process as soon as one exits: each worker, which this rehearsal kills,
#    runs under its own honcho, the web and scheduler processes under another.
# 3. 200 e-mail deliveries: each runs once (SUCCESSFUL, one Sent row, one e-mail in the mail file).
# 4. A worker killed (kill -9) while it sends: the delivery is run again by another worker, e-mail sent once.
# 5. run_daily_tasks twice (the scheduler running too) with dossiers due for their 6-month reminder: the
#    second run sends nothing.
# 6. PostgreSQL stopped for 5 s while the web processes serve ($PG_STOP and $PG_START; by default
#    pg_ctlcluster on the local cluster of DATABASE_URL's port, so every database on it goes down too):
#    503 page with Retry-After, JSON 503 from the API; then 200 again, and 10 more deliveries done.
# 7. The verification rate limit holds across the two web processes (shared cache).
# 8. pg_dump / pg_restore into <name>_restore: same counts on both sides.
# 9. The figures (tools/ci/rehearsal.py summary); every process is stopped on exit.
#
# E-mails go to tools.ci.rehearsal.MailFile, one JSON line each in a file every process appends to.
# KEEP=1 keeps the working directory (logs, mail file, dump).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-$PWD/.venv/bin}
# The Procfile's `python` and `gunicorn` are the project's.
export PATH="$BIN:$PATH"
export DATABASE_URL=${DATABASE_URL:-postgres://clea:clea@127.0.0.1:5432/clea_rehearsal}
DB_NAME=${DATABASE_URL##*/}
DB_NAME=${DB_NAME%%\?*}
case "$DB_NAME" in
  *rehearsal*) ;;
  *) echo "rehearsal: refusing to drop database '$DB_NAME' (its name must contain 'rehearsal')" >&2; exit 2 ;;
esac
SERVER_URL=${DATABASE_URL%/*}
RESTORE_NAME=${DB_NAME}_restore
RESTORE_URL=$SERVER_URL/$RESTORE_NAME
if [ -z "${PG_STOP:-}" ] || [ -z "${PG_START:-}" ]; then
  # The local cluster (pg_lsclusters) listening on DATABASE_URL's port, stopped and started as in .ci/run.
  DB_PORT=$(python -c 'import os, urllib.parse; print(urllib.parse.urlsplit(os.environ["DATABASE_URL"]).port or 5432)')
  PG_CLUSTER=$(pg_lsclusters -h 2>/dev/null | awk -v port="$DB_PORT" '$3 == port { print $1, $2; exit }')
  if [ -z "$PG_CLUSTER" ]; then
    echo "rehearsal: no local PostgreSQL cluster on port $DB_PORT: set PG_STOP and PG_START" >&2
    exit 2
  fi
  PG_STOP="pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER stop"
  PG_START="pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER start"
fi
export PG_STOP PG_START

WORK=$(mktemp -d "${TMPDIR:-/tmp}/clea-rehearsal.XXXXXX")
HONCHOS=()
NAMED=()
SUMMARISED=""
STARTED=$SECONDS

stop_processes() {
  local pid
  for pid in "${HONCHOS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # honcho passes SIGTERM on, then SIGKILL after 5 s.
  for pid in "${HONCHOS[@]}"; do wait "$pid" 2>/dev/null || true; done
  HONCHOS=()
}

cleanup() {
  local status=$?
  stop_processes
  if [ -z "$SUMMARISED" ]; then
    [ -f "$WORK/state.json" ] && python tools/ci/rehearsal.py summary || true
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/*.log; do
      [ -f "$log" ] || continue
      echo "-- $(basename "$log") (last 40 lines)"
      tail -n 40 "$log"
    done
  fi
  if [ -n "${KEEP:-}" ]; then echo "-- kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The production environment; e-mails counted in a file; nothing else from the caller's environment.
SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY DJANGO_SETTINGS_MODULE=config.settings.prod DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost
# Loopback has no TLS proxy in front: no HTTPS redirect (the other production settings stay).
export SECURE_SSL_REDIRECT=false CSRF_TRUSTED_ORIGINS= STATIC_ROOT="$WORK/static" LOG_LEVEL=WARNING
export MAIL_BACKEND=tools.ci.rehearsal.MailFile REHEARSAL_DIR="$WORK" WEB_CONCURRENCY=1 PYTHON=python
# clea.lib.worker's timings scaled down (10 s heartbeat, 60 s before recovery in production): same logic.
export WORKER_HEARTBEAT_SECONDS=${WORKER_HEARTBEAT_SECONDS:-2} WORKER_ABANDONED_AFTER_SECONDS=${WORKER_ABANDONED_AFTER_SECONDS:-10}
unset GUNICORN_BIND PORT REDIS_URL TRUSTED_PROXIES
PY="python tools/ci/rehearsal.py"

echo "== 1. Database $DB_NAME (recreated) and the release step (at $((SECONDS - STARTED)) s)"
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/postgres" \
  -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" -c "DROP DATABASE IF EXISTS \"$RESTORE_NAME\" WITH (FORCE)" \
  -c "CREATE DATABASE \"$DB_NAME\""
T=$SECONDS
bin/release >"$WORK/release.log" 2>&1 || { echo "bin/release failed" >&2; tail -n 40 "$WORK/release.log"; exit 1; }
echo "   bin/release: $((SECONDS - T)) s"
# The demo data refuses to load without DEBUG: development settings, same database.
DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=true python manage.py load_demo | grep -E '^Démonstration'

echo "== 2. The Procfile's processes under honcho (at $((SECONDS - STARTED)) s)"
PORT=$(python - <<'PY'
import random
import socket

for _ in range(100):
    port = random.randint(20000, 40000)
    try:
        for p in (port, port + 1):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(port)
    break
PY
)
HONCHO="honcho start --env /dev/null --procfile Procfile --no-colour"
# honcho gives web.1 PORT and web.2 PORT+1.
$HONCHO --port "$PORT" --concurrency web=2,scheduler=1 web scheduler >"$WORK/web-scheduler.log" 2>&1 &
HONCHOS+=($!)
NAMED+=("web-scheduler=$!")
for i in 1 2 3; do
  $HONCHO worker >"$WORK/worker-$i.log" 2>&1 &
  HONCHOS+=($!)
  NAMED+=("worker-$i=$!")
done
WEB_PORTS="$PORT $((PORT + 1))"
$PY wait-web $WEB_PORTS

echo "== 4. kill -9 of a worker while it sends, recovery checked after 3, 5 and 7 (at $((SECONDS - STARTED)) s)"
$PY slow-start
KILLED=$(cat "$WORK/kill.pid" 2>/dev/null || true)
if [ -n "$KILLED" ] && grep -q run_worker "/proc/$KILLED/cmdline" 2>/dev/null; then
  kill -9 "$KILLED"
  echo "   worker pid $KILLED killed"
else
  echo "   no worker to kill (pid '$KILLED')" >&2
fi

echo "== 3. 200 deliveries (at $((SECONDS - STARTED)) s)"
$PY deliveries bulk 200

echo "== 5. Daily tasks twice on the same day (at $((SECONDS - STARTED)) s)"
$PY daily

echo "== 7. Rate limit across the web processes (at $((SECONDS - STARTED)) s)"
$PY ratelimit $WEB_PORTS

echo "== 4. (continued) the killed worker's delivery (at $((SECONDS - STARTED)) s)"
$PY slow-check

echo "== 6. PostgreSQL restarted while the web processes serve (at $((SECONDS - STARTED)) s)"
$PY outage $WEB_PORTS
$PY deliveries after 10
$PY processes "${NAMED[@]}"
$PY idle
stop_processes

echo "== 8. Backup and restore (at $((SECONDS - STARTED)) s)"
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/postgres" -c "CREATE DATABASE \"$RESTORE_NAME\""
$PY backup "$WORK/rehearsal.dump" "$RESTORE_URL"

echo "== 9. Summary (after $((SECONDS - STARTED)) s)"
SUMMARISED=1
$PY summary
