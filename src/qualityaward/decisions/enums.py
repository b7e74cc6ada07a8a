"""Choices of the decisions app (A19–A23). Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The results category of GB/T 19580 (4.7), the first tie-break of the ranking (A20).
RESULTS_CATEGORY = "4.7"
SITE_VISIT_STAGE = "site_visit"

# Lengths of what the public may write.
NAME_MAX = 100
CONTACT_MAX = 200
TEXT_MAX = 5000
# Fixed-window rate limit of the public forms: this many per window per IP and form.
PUBLIC_FORM_LIMIT = 5
PUBLIC_FORM_WINDOW_SECONDS = 60 * 60
PUBLICATION_LIMIT = 200


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED_IRRELEVANT = "rejected_irrelevant", _("Rejected as irrelevant")
    REJECTED_SPAM = "rejected_spam", _("Rejected as spam")


class CommentOutcome(models.TextChoices):
    """How an accepted comment was handled (shown beside the ranking)."""

    NO_EFFECT = "no_effect", _("No effect")
    VERIFIED_CONCERN = "verified_concern", _("Verified concern")
    NOT_VERIFIED = "not_verified", _("Concern not verified")


class MeetingPurpose(models.TextChoices):
    AWARD = "award", _("Decide the proposed winners")
    CANCELLATION = "cancellation", _("Decide on cancelling a proposed winner")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DECIDED = "decided", _("Decided")


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class WinnerStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed winner")
    CANCELLED = "cancelled", _("Cancelled")
    APPROVED = "approved", pgettext_lazy("approved by the government", "Approved")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    DISMISSED = "dismissed", _("Dismissed")


class AwardStatus(models.TextChoices):
    """What the public verification page shows."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
