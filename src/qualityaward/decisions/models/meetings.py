"""The working group's plenary meeting (A21): agenda, attendance, recusals (A25),
votes, minutes and the decision. Change it only through `services.meetings`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import MeetingPurpose, MeetingStatus, VoteChoice


class Meeting(TimeStampedModel):
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=MeetingPurpose.choices, default=MeetingPurpose.AWARD
    )
    candidate_list = models.ForeignKey(
        "decisions.CandidateList",
        verbose_name=_("candidate list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    objection = models.ForeignKey(
        "decisions.Objection",
        verbose_name=_("substantiated objection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(_("date"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("present"), related_name="+", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("signed minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members_total = models.PositiveSmallIntegerField(_("members of the working group"), default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The tally per candidate at the decision: [{application_id, for, against, ...}].
    tally = models.JSONField(_("tally"), default=list, blank=True)

    class Meta:
        ordering = ["cycle", "held_on", "pk"]
        verbose_name = _("working-group meeting")
        verbose_name_plural = _("working-group meetings")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.held_on:%Y-%m-%d}"

    @property
    def is_decided(self) -> bool:
        return self.status == MeetingStatus.DECIDED


class MeetingCandidate(models.Model):
    """What the meeting votes on: a candidate to award or, for a cancellation
    meeting, the winner whose cancellation is proposed (“for” = cancel)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="candidates"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))
    weighted_total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2)
    approved = models.BooleanField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "rank"]
        verbose_name = _("item voted on")
        verbose_name_plural = _("items voted on")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="decisions_meeting_candidate_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.application.applicant)


class Recusal(models.Model):
    """A25: a member with an interest in a candidate takes no part on it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="recusals"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("interest"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "application"], name="decisions_recusal_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ✕ {self.application.applicant}"


class Vote(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "application"], name="decisions_vote_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"
