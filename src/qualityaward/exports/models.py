import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ACTIVE_STATES, ExportKind, ExportState

# The folder of the default storage that holds the finished exports.
EXPORTS_FOLDER = "exports"
# An active export whose progress has not moved for this long is taken as interrupted
# (a restarted worker or web process): asking again starts a new one.
STALL_AFTER = datetime.timedelta(minutes=10)


def export_file_path(instance: "Export", filename: str) -> str:
    """exports/<random>.<ext>: the name shown to the user is kept in `filename`."""
    ext = filename.rpartition(".")[2].lower()[:8]
    return f"{EXPORTS_FOLDER}/{uuid.uuid4().hex}.{ext}"


class Export(models.Model):
    """A file of a cycle prepared in the background for the user who asked for it.

    Created by services.export_request, advanced by services.export_run (in a Celery
    worker, or in a thread of the web process when there is no broker)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True, default="")
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    # The requester's language: the file's headings are written in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("time requested"), default=timezone.now)
    started_at = models.DateTimeField(_("time started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("time finished"), null=True, blank=True)
    # Moved on by every progress step: an active export that stops moving was interrupted.
    updated_at = models.DateTimeField(_("last progress"), default=timezone.now)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "cycle", "requested_by"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="exports_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.cycle_id} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        """The page of this kind of export for the cycle (the URL is named as the kind)."""
        return reverse(f"exports:{self.kind}", args=[self.cycle_id])

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_stalled(self) -> bool:
        """Active, but no progress for STALL_AFTER: its process was stopped."""
        return self.is_active and timezone.now() - self.updated_at > STALL_AFTER

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0
