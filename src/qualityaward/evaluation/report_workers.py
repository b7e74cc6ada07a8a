"""What the processes of `report_pdfs`' pool run. A spawned process imports this module
before Django is set up: nothing here imports a model at module level."""

from __future__ import annotations

import datetime


def setup(database_name: str) -> None:
    """Set Django up on the database of the process that started the pool (which is
    not always the configured one: a test database)."""
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name
    django.setup()


def render(application_id: int, generated_at: datetime.datetime) -> bytes:
    from .report_pdfs import report_pdf_by_id

    return report_pdf_by_id(application_id, generated_at)
