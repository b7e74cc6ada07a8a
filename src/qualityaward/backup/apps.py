from django.apps import AppConfig


class BackupConfig(AppConfig):
    """manage.py backup and restore; no models, no pages."""

    name = "qualityaward.backup"
    label = "backup"
