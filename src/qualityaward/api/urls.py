from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from qualityaward.applications.api import api_urlpatterns as applications_api
from qualityaward.decisions.api import api_urlpatterns as decisions_api
from qualityaward.evaluation.api import api_urlpatterns as evaluation_api
from qualityaward.rulesets.api import api_urlpatterns as rulesets_api

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    path("v1/me/", views.MeView.as_view(), name="me"),
    *rulesets_api,
    *applications_api,
    *evaluation_api,
    *decisions_api,
]
