import re

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from rest_framework.views import APIView

from .request_context import begin_request, current_request_id, end_request

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from X-Request-ID when well formed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = begin_request(incoming if _VALID_REQUEST_ID.match(incoming) else None)
        try:
            request.request_id = current_request_id()  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
            return response
        finally:
            end_request(token)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login requirement for pages; the API authenticates on its own
    (session or token) and answers 401/403 instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


_VALID_SESSION_KEY = re.compile(r"^[A-Za-z0-9]{8,64}$")


class SessionCookieGuardMiddleware:
    """Drops a session cookie that cannot be a session key before the session is read.

    Django's cookie parser unquotes octal escapes, so `sessionid="a\\000b..."` reaches the
    session store with a NUL byte, which PostgreSQL refuses with an error: every page then
    answered 500 to such a cookie. A malformed cookie now counts as no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        name = settings.SESSION_COOKIE_NAME
        value = request.COOKIES.get(name)
        if value is not None and not _VALID_SESSION_KEY.match(value):
            del request.COOKIES[name]
        return self.get_response(request)


MAX_ID = 2**63 - 1  # the largest primary key PostgreSQL and SQLite can hold


class IdentifierRangeMiddleware:
    """Answers 404 for an <int:...> URL parameter beyond what the database can hold.

    Django's int converter accepts any number of digits; a lookup with such a number
    raised OverflowError (SQLite) or DataError (PostgreSQL) in views that filter on a
    foreign key, a 500 instead of "not found"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in values):
            raise Http404
        return None


class PrivateNoStoreMiddleware:
    """Keeps what a signed-in user reads out of every cache, the browser's included.

    Award records, personal data and evidence must not stay on a shared office computer
    or in a proxy after the user leaves (GB/T 22239 residual information). A response
    to a signed-in user, and any download (it has a Content-Disposition), is marked
    `private, no-store` unless its view set a Cache-Control of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or response.has_header("Content-Disposition")) and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = "private, no-store"
        return response
