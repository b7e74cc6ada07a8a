"""Which answers nginx may give every anonymous visitor (X-Accel-Expires), and the
language switch that keeps a CSRF token out of those pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from qualityaward.accounts.enums import Role
from qualityaward.core.shared_cache import shared_with_anonymous

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
PUBLIC_PAGES = ["/", "/decisions/public/archive/", "/decisions/public/verify/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_shared_with_anonymous_visitors_and_holds_nothing_of_theirs(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["X-Accel-Expires"] == "10"
    assert not response.cookies
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_never_shared_when_logged_in(path):
    client = Client()
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    response = client.get(path)
    assert response.status_code == 200
    assert "X-Accel-Expires" not in response
    assert "X-CSRFToken" in response.content.decode()


def test_public_page_with_a_message_waiting_is_this_visitors_only():
    client = Client()
    client.cookies["messages"] = "anything"
    assert "X-Accel-Expires" not in client.get("/")


def test_unknown_certificate_is_not_shared():
    response = Client().get("/decisions/public/verify/NO-SUCH-SERIAL/")
    assert response.status_code == 404 and "X-Accel-Expires" not in response


def test_a_page_that_rendered_a_csrf_token_is_not_shared():
    def form_page(request):
        return HttpResponse(get_token(request))

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert "X-Accel-Expires" not in shared_with_anonymous(form_page)(request)


def test_sharing_can_be_switched_off(settings):
    settings.QA_SHARED_CACHE_SECONDS = 0
    assert "X-Accel-Expires" not in Client().get("/")


def test_language_switch_sets_the_cookie_and_goes_back():
    response = Client().get(
        "/i18n/setlang/", {"language": "en", "next": "/decisions/public/archive/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/decisions/public/archive/"
    assert response.cookies["django_language"].value == "en"
    english = Client()
    english.cookies["django_language"] = "en"
    assert '<html lang="en">' in english.get("/decisions/public/archive/").content.decode()


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ({"language": "en", "next": "https://evil.example/"}, "/"),
        ({"language": "xx", "next": "/"}, "/"),
    ],
)
def test_language_switch_refuses_other_sites_and_unknown_languages(query, location):
    response = Client().get("/i18n/setlang/", query)
    assert response["Location"] == location
    if query["language"] == "xx":
        assert "django_language" not in response.cookies
