import re

from django.conf import settings
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.models import RuleSet

# Where a public security filing number is looked up (its digits go at the end).
PSB_FILING_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="


def rule_set_in_force() -> RuleSet | None:
    """The rule set with an active version (one query)."""
    return (
        RuleSet.objects.filter(versions__status=VersionStatus.ACTIVE)
        .order_by("-versions__effective_from")
        .only("award_name_zh", "award_name_en", "issuing_authority")
        .first()
    )


def site_footer(rule_set: RuleSet | None) -> dict:
    """The organiser, contact and filing numbers a government site shows in its footer."""
    psb_digits = "".join(re.findall(r"\d", settings.QA_PSB_NUMBER))
    return {
        "organiser": settings.QA_ORGANISER or (rule_set.issuing_authority if rule_set else ""),
        "phone": settings.QA_CONTACT_PHONE,
        "address": settings.QA_CONTACT_ADDRESS,
        "icp_number": settings.QA_ICP_NUMBER,
        "psb_number": settings.QA_PSB_NUMBER,
        "psb_url": PSB_FILING_URL + psb_digits if psb_digits else "",
    }


def navigation(request):
    """The site name and one navigation entry per role the user holds."""
    user = getattr(request, "user", None)
    items = []
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
        for role in Role:
            if user.has_role(role):
                url = reverse("portal:role_dashboard", args=[role.value])
                items.append(
                    {"url": url, "label": role.label, "active": request.path.startswith(url)}
                )
    rule_set = rule_set_in_force()
    return {
        "site_name": rule_set.award_name if rule_set else str(settings.QA_SITE_NAME),
        "site_footer": site_footer(rule_set),
        "nav_items": items,
        "unread_notifications": unread,
    }
