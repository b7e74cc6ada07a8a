"""The project's URLs plus the bare reference view (bench only, never in the product)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BARE_PAGE = b"<!doctype html><html><head><title>bare</title></head><body>ok</body></html>"


@login_not_required
def bare_view(request: HttpRequest) -> HttpResponse:
    """A constant page through the same middleware as every other page."""
    return HttpResponse(BARE_PAGE)


urlpatterns = [
    path("bench/bare/", bare_view, name="bench_bare"),
    path("", include("qualityaward.urls")),
]
