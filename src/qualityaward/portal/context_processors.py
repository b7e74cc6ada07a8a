from django.conf import settings
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.models import RuleSet


def site_name() -> str:
    """The award's own name, from the rule set with an active version (one query)."""
    rule_set = (
        RuleSet.objects.filter(versions__status=VersionStatus.ACTIVE)
        .order_by("-versions__effective_from")
        .only("award_name_zh", "award_name_en")
        .first()
    )
    return rule_set.award_name if rule_set else str(settings.QA_SITE_NAME)


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
    return {"site_name": site_name(), "nav_items": items, "unread_notifications": unread}
