#!/usr/bin/env bash
# One release's database steps, in order (deploy/RELEASE.md explains each).
# Run from the application directory with the production environment loaded, with the
# NEW code, before the new web/worker processes take traffic:
#   set -a; . /etc/cities-of-learning/env; set +a; deploy/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python

step() { printf '\n== %s\n' "$*"; }

step "1/4 checks"
# A warning of `check --deploy` stops the release too (a missing HTTPS setting is a
# warning). RELEASE_CHECK_FAIL_LEVEL=ERROR only for a plain-HTTP trial (deploy/compose.yaml).
"$PY" manage.py check --deploy --fail-level "${RELEASE_CHECK_FAIL_LEVEL:-WARNING}"

step "2/4 shared (public) schema"
"$PY" manage.py migrate_schemas --shared --noinput

step "3/4 standby schemas (pre-provisioned territories)"
# The standby pool arrives with issue #6; until then the command does not exist.
if "$PY" manage.py help migrate_standby_schemas >/dev/null 2>&1; then
  "$PY" manage.py migrate_standby_schemas
else
  echo "no migrate_standby_schemas command in this version: no standby pool to migrate"
fi

step "4/4 territory schemas behind the code, in parallel (MIGRATION_PROCESSES=${MIGRATION_PROCESSES:-2})"
# Only the schemas whose recorded migration state is behind are migrated (tenants/release.py);
# a schema that fails is listed, stays marked behind, and the command exits non-zero.
"$PY" manage.py migrate_territories
# What features need in each territory (idempotent; new territories get it when provisioned).
"$PY" manage.py ensure_territory_setup

step "static files"
"$PY" manage.py collectstatic --noinput -v 0
echo "release steps done: now systemctl reload cities-web; systemctl restart cities-worker cities-beat"
