"""The project's URLs plus this app's API, until api/urls.py wires it in."""

from django.urls import include, path

from qualityaward.applications.api import api_urlpatterns
from qualityaward.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/", include((api_urlpatterns, "applications_api"))), *project_urlpatterns]
