from django.urls import include, path

from qualityaward.core.health import healthz
from qualityaward.core.language import language_switch

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("qualityaward.accounts.urls")),
    path("calendar/", include("qualityaward.workdays.urls")),
    path("rulesets/", include("qualityaward.rulesets.urls")),
    path("cycles/", include("qualityaward.cycles.urls")),
    path("notifications/", include("qualityaward.notifications.urls")),
    path("api/", include("qualityaward.api.urls")),
    path("applications/", include("qualityaward.applications.urls")),
    path("evaluation/", include("qualityaward.evaluation.urls")),
    path("decisions/", include("qualityaward.decisions.urls")),
    path("supervision/", include("qualityaward.supervision.urls")),
    path("exports/", include("qualityaward.exports.urls")),
    path("audit/", include("qualityaward.core.urls")),
    path("", include("qualityaward.portal.urls")),
]
