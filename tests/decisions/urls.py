"""The project's URLs with this app's API mounted, independent of apps still being
built beside it (their URL modules may not exist yet)."""

from django.urls import include, path

from qualityaward.api.urls import urlpatterns as api_urlpatterns_project
from qualityaward.core.language import language_switch
from qualityaward.decisions.api import api_urlpatterns

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("qualityaward.accounts.urls")),
    path("calendar/", include("qualityaward.workdays.urls")),
    path("rulesets/", include("qualityaward.rulesets.urls")),
    path("cycles/", include("qualityaward.cycles.urls")),
    path("notifications/", include("qualityaward.notifications.urls")),
    path("api/", include((api_urlpatterns_project + api_urlpatterns, "api"))),
    path("applications/", include("qualityaward.applications.urls")),
    path("evaluation/", include("qualityaward.evaluation.urls")),
    path("decisions/", include("qualityaward.decisions.urls")),
    path("", include("qualityaward.portal.urls")),
]
