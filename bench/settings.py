"""Settings of the bench server: the project's settings with a urlconf that adds the
bare reference view (`bench/urls.py`). The database must be a bench one."""

import os

from qualityaward.settings import *  # noqa: F403
from qualityaward.settings import ALLOWED_HOSTS, DATABASES

ROOT_URLCONF = "bench.urls"
# django.test.Client sends "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

_db = DATABASES["default"]
if "bench" not in str(_db["NAME"]) and not os.environ.get("QA_BENCH_ANY_DB"):
    raise RuntimeError(
        f"bench.settings refuses the database {_db['NAME']!r}: use QA_VAR_DIR=var/bench "
        "or DATABASE_URL=.../qualityaward_bench"
    )
