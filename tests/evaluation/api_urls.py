"""The project's URLs plus the evaluation and applications APIs, until api/urls.py wires
them in (the site a conflicted user is tested against)."""

from django.urls import include, path

from qualityaward.applications.api import api_urlpatterns as applications_api
from qualityaward.evaluation.api import api_urlpatterns as evaluation_api
from qualityaward.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/", include(([*evaluation_api, *applications_api], "evaluation_test_api"))),
    *project_urlpatterns,
]
