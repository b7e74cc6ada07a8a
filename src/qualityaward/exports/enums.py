from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    SCORE_SHEETS = "score_sheets", _("Score sheets (.xlsx)")
    ARCHIVE = "archive", _("Cycle archive (.zip)")
    REPORTS = "reports", _("Evaluation reports (.zip)")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# An export in one of these states is still being worked on.
ACTIVE_STATES = (ExportState.QUEUED, ExportState.RUNNING)
