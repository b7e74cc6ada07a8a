"""The routes the rule set pages need, plus the rule set API as api/urls.py will include it.

Explicit rather than importing qualityaward.urls, so these tests do not depend on
other apps' URL modules while those are being written."""

from django.urls import include, path

from qualityaward.core.language import language_switch
from qualityaward.rulesets.api import api_urlpatterns

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("qualityaward.accounts.urls")),
    path("rulesets/", include("qualityaward.rulesets.urls")),
    path("notifications/", include("qualityaward.notifications.urls")),
    path("api/", include((api_urlpatterns, "rulesets_api"))),
    path("", include("qualityaward.portal.urls")),
]
