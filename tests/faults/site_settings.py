"""The production settings for sites started by the fault tests, except that static
files are named plainly: pages render without a collectstatic run (minutes on a busy
machine) that nothing here tests."""

from qualityaward.settings import *  # noqa: F403
from qualityaward.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
