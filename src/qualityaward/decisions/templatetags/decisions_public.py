"""Portal home: `{% load decisions_public %}{% public_notices %}` lists what is open
for comment or objection now; `{% verify_box %}` is the certificate lookup."""

from django import template

from .. import clock
from ..selectors.public import current_notices

register = template.Library()


@register.inclusion_tag("decisions/public/_notices.html")
def public_notices():
    return current_notices(today=clock.today())


@register.inclusion_tag("decisions/public/_verify_box.html")
def verify_box():
    return {}


@register.filter
def status_today(award, today):
    """The award's status (valid, expired, revoked) on `today`."""
    return award.status_on(today)


@register.filter
def kind_label(kind: str) -> str:
    from qualityaward.applications.enums import ApplicantKind

    return str(ApplicantKind(kind).label) if kind in ApplicantKind.values else kind
