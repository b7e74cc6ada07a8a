#!/bin/sh
# manage.py as the site runs it: as the qualityaward user, with the settings of
# /etc/qualityaward/env (the systemd units read the same file). Run it as root from the
# checkout: deploy/manage.sh migrate --no-input   (docs/deployment.md)
set -eu
cd "$(dirname "$0")/.."
set -a
. /etc/qualityaward/env
set +a
exec runuser -u qualityaward -- .venv/bin/python manage.py "$@"
