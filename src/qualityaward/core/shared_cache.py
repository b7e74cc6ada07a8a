"""Public pages that every anonymous visitor sees alike, kept for a few seconds by the
reverse proxy in front (nginx, `deploy/nginx/qualityaward.conf.template`), so that a
burst of readers on the day results appear is answered without reaching Django.

The application decides what may be shared: a page decorated with `shared_with_anonymous`
gets `X-Accel-Expires` only when nothing in it belongs to the visitor (no login, no CSRF
token, no message). nginx caches nothing else: it ignores Cache-Control and Expires for
this, and never keeps an answer that sets a cookie."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not request.user.is_authenticated
        # The page rendered a CSRF token (a form): it is this visitor's.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A message for this visitor ("Thank you …") is shown once, to them.
        and "messages" not in request.COOKIES
        and not response.cookies
    )


def shared_with_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's answer as the same for every anonymous visitor for
    QA_SHARED_CACHE_SECONDS, when it is."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if settings.QA_SHARED_CACHE_SECONDS and shareable(request, response):
            response["X-Accel-Expires"] = str(settings.QA_SHARED_CACHE_SECONDS)
        return response

    return wrapper
