#!/usr/bin/env bash
# Serve the platform as in production and crawl every page (tools/ci/crawl_production.py).
#
#   DATABASE_URL=postgres://clea:clea@127.0.0.1:5432/clea_crawl tools/ci/crawl_production.sh [crawler options]
#
# 1. Drops and recreates the PostgreSQL database of DATABASE_URL (its name must contain "crawl").
# 2. setup_demo: migrations, référentiels, geography and demo data (development settings: the demo
#    data refuses to load without DEBUG).
# 3. crawl_production.py enrich: the later steps of the path, through the services (see the crawler).
# 4. collectstatic with the production settings (manifest + compression) into a temporary STATIC_ROOT.
# 5. gunicorn with config.settings.prod on a free loopback port; the crawl; exit status 1 on any failure.
# 6. The API contract on the same server (tools/ci/api_contract.py): schemathesis with three roles' tokens.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-.venv/bin}
export DATABASE_URL=${DATABASE_URL:-postgres://clea:clea@127.0.0.1:5432/clea_crawl}
DB_NAME=${DATABASE_URL##*/}
DB_NAME=${DB_NAME%%\?*}
case "$DB_NAME" in
  *crawl*) ;;
  *) echo "crawl_production: refusing to drop database '$DB_NAME' (its name must contain 'crawl')" >&2; exit 2 ;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/clea-crawl.XXXXXX")
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The production environment; nothing from a developer's .env leaks in (base.py does not overwrite).
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY DEBUG=false ALLOWED_HOSTS=127.0.0.1 CSRF_TRUSTED_ORIGINS= STATIC_ROOT="$WORK/static"
export MAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING
# The contract check sends thousands of requests per account in minutes: throttling would hide answers.
export API_THROTTLE_USER=1000000/min API_THROTTLE_ANON=1000000/min
# SECURE_SSL_REDIRECT stays on: the crawler speaks as the TLS proxy (X-Forwarded-Proto: https).
unset SECURE_SSL_REDIRECT

echo "-- database $DB_NAME (recreated)"
psql -q -v ON_ERROR_STOP=1 "${DATABASE_URL%/*}/postgres" \
  -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" -c "CREATE DATABASE \"$DB_NAME\""

echo "-- setup_demo: migrations, référentiels, geography, demo data"
DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=true "$BIN/python" manage.py setup_demo | grep -E '^Démonstration' || true

export DJANGO_SETTINGS_MODULE=config.settings.prod
echo "-- enrich: the later steps of the path (jury, certificates, candidate space...)"
"$BIN/python" tools/ci/crawl_production.py enrich
echo "-- collectstatic (production settings)"
"$BIN/python" manage.py collectstatic --noinput -v 0

PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "-- gunicorn (production settings) on 127.0.0.1:$PORT"
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --timeout 120 \
  --error-logfile "$WORK/server.log" --capture-output &
SERVER=$!

if ! "$BIN/python" tools/ci/crawl_production.py crawl "http://127.0.0.1:$PORT" "$@"; then
  echo "-- server log (last 200 lines)"
  tail -n 200 "$WORK/server.log"
  exit 1
fi

if ! "$BIN/python" tools/ci/api_contract.py "http://127.0.0.1:$PORT"; then
  echo "-- server log (last 200 lines)"
  tail -n 200 "$WORK/server.log"
  exit 1
fi
