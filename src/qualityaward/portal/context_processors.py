from django.conf import settings
from django.urls import reverse

from qualityaward.accounts.enums import Role


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
    return {"site_name": settings.QA_SITE_NAME, "nav_items": items, "unread_notifications": unread}
