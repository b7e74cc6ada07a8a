"""A person's rights over their data (PIPL arts. 45 and 46): a copy of everything, and
a request to correct it. Both are audited."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError
from qualityaward.notifications.services import notify

from ..personal_data import personal_data_zip
from .applications import _text

CORRECTION_MAX = 2000


@transaction.atomic
def personal_data_export(*, user) -> bytes:
    """The zip of everything held on `user`, for `user` only; the export is recorded."""
    data = personal_data_zip(user)
    audit_append(actor=user, action="applications.personal_data_exported", obj=user)
    return data


@transaction.atomic
def correction_request(*, user, text: str) -> None:
    """Ask the office to correct the person's data: every office user is notified."""
    text = _text(text, label=_("Correction"), max_length=CORRECTION_MAX)
    if not text:
        raise QualityAwardError(
            _("Say which data are wrong and what they should be."), code="empty"
        )
    office = User.objects.filter(is_active=True, role_grants__role=Role.OFFICE).distinct()
    name = user.display_name or user.get_username()
    notify(
        recipients=list(office),
        kind="applications.correction_requested",
        subject=_("%(name)s asks for a correction of their data") % {"name": name},
        body=text,
        url=reverse("applications:list"),
    )
    audit_append(
        actor=user,
        action="applications.correction_requested",
        obj=user,
        changes={"text": text},
    )
