"""The call for applications (A14): drafted by the office from the cycle's rule set,
sent to the departments and published on the public portal for at least the rule set's
`call_min_workdays` working days. Change it only through `applications.services.calls`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel
from qualityaward.workdays.calendar import deadline_end

from ..enums import CallStatus

CALL_TITLE_MAX = 200
CALL_TEXT_MAX = 20000


class Call(TimeStampedModel):
    """One call per cycle."""

    cycle = models.OneToOneField(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="call"
    )
    title = models.CharField(_("title"), max_length=CALL_TITLE_MAX)
    text = models.TextField(_("text of the call"))
    where_to_submit = models.CharField(_("where to submit"), max_length=300)
    deadline = models.DateField(
        _("deadline"), help_text=_("Applications are accepted until the end of this day.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CallStatus.PUBLISHED

    @property
    def closes_at(self) -> datetime.datetime:
        """24:00 Asia/Shanghai of the deadline day."""
        return deadline_end(self.deadline)

    def is_open_at(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return (
            self.is_published
            and self.published_on is not None
            and timezone.localdate(moment) >= self.published_on
            and moment < self.closes_at
        )

    @property
    def is_open(self) -> bool:
        return self.is_open_at()


class CallTemplate(models.Model):
    """A form or template the office attaches to the call, downloadable by anyone."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="templates"
    )
    title = models.CharField(_("title"), max_length=200)
    stored_file = models.OneToOneField(
        "documents.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["call", "added_at", "pk"]
        verbose_name = _("call template")
        verbose_name_plural = _("call templates")

    def __str__(self) -> str:
        return self.title
