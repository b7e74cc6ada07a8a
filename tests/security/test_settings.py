"""Security settings that hold for the whole site: CSRF on every form, a strict Content
Security Policy with no inline script or style in any template, secure cookies behind
TLS, login lockout, session expiry, and uploads kept out of the web root.

The lockout itself is exercised in
tests/accounts/test_login.py::test_five_failures_lock_the_account_even_for_the_right_password;
the media check in tests/documents/test_checks.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from rest_framework.views import APIView

from qualityaward.accounts.enums import Role

from ..factories import TEST_PASSWORD, UserFactory
from ..urls_helpers import all_routes

SRC = Path(settings.BASE_DIR)


def _view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


# --- CSRF ---------------------------------------------------------------------------------


def test_csrf_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_no_page_view_is_csrf_exempt():
    """API views are exempt from Django's middleware (DRF's APIView) and enforce CSRF in
    SessionAuthentication instead (tested below); no other view may be exempt."""
    exempt = [
        route.name
        for route in all_routes()
        if getattr(route.callback, "csrf_exempt", False)
        and not (
            isinstance(_view_class(route.callback), type)
            and issubclass(_view_class(route.callback), APIView)
        )
    ]
    assert exempt == []


def test_api_session_authentication_is_the_csrf_enforcing_kind():
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ]


@pytest.mark.django_db
def test_form_post_without_csrf_token_is_refused(cycle):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    response = client.post(
        reverse("cycles:stage_start", args=[cycle.pk]),
        {"code": "call", "on": "2026-09-14"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


@pytest.mark.django_db
def test_api_post_with_a_session_but_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    response = client.post(
        "/api/v1/applications/1/review/",
        data=json.dumps({"outcome": "pass"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- Content Security Policy and templates ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/applications/public/calls/"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


TEMPLATES = sorted(SRC.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def test_templates_exist_to_scan():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE], ids=["script", "on-handler", "style"]
)
def test_no_template_has_inline_script_handlers_or_style_attributes(pattern):
    found = [
        f"{path.relative_to(SRC)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0).strip()}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for m in pattern.finditer(text)
    ]
    assert found == []


# --- cookies, sessions, lockout -------------------------------------------------------------


TLS_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_PROXY_SSL_HEADER",
    "DEBUG",
)


def _settings_with(env: dict[str, str], tmp_path, names: tuple[str, ...] = TLS_SETTINGS) -> dict:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        f"print(json.dumps({{k: getattr(s, k) for k in {names!r}}}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HTTPS", "DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="qualityaward.settings",
        QA_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(SRC.parent),  # this checkout's code, whatever is installed
        SECRET_KEY="x" * 50,
        **env,
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_behind_tls_cookies_are_secure_and_https_is_enforced(tmp_path):
    values = _settings_with({"HTTPS": "1"}, tmp_path)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "DEBUG": False,
    }


def test_debug_is_off_unless_asked_for(tmp_path):
    assert _settings_with({}, tmp_path)["DEBUG"] is False


def test_sessions_expire_after_a_working_day_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize("env", [{}, {"HTTPS": "1"}], ids=["demo", "production"])
def test_account_controls_are_on_in_the_demo_and_in_production(tmp_path, env):
    """Two factors for every staff role, a 30-minute idle timeout, one session per staff
    account, passwords expiring after 90 days, wrong codes counted with wrong passwords
    (their tests: tests/accounts/test_mfa.py and test_sessions.py)."""
    names = (
        "QA_MFA_REQUIRED_ROLES",
        "QA_IDLE_TIMEOUT_MINUTES",
        "QA_SINGLE_SESSION",
        "QA_PASSWORD_MAX_AGE_DAYS",
        "AXES_RESET_ON_SUCCESS",
        "MIDDLEWARE",
    )
    values = _settings_with(env, tmp_path, names)
    staff = {role for role in Role.values if role != Role.APPLICANT}
    assert set(values["QA_MFA_REQUIRED_ROLES"]) == staff
    assert values["QA_IDLE_TIMEOUT_MINUTES"] == 30
    assert values["QA_SINGLE_SESSION"] is True
    assert values["QA_PASSWORD_MAX_AGE_DAYS"] == 90
    assert values["AXES_RESET_ON_SUCCESS"] is False
    middleware = values["MIDDLEWARE"]
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert "qualityaward.accounts.middleware.AccountControlsMiddleware" in middleware


def test_login_lockout_is_on():
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site(client):
    user = UserFactory(roles=[Role.OFFICE])
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # expires with the browser


# --- uploads outside the web root -------------------------------------------------------


def test_media_root_is_not_under_the_static_root():
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert static not in media.parents and media != static


def test_no_url_pattern_serves_the_media_folder():
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.strip("/")
    serving = [
        route.name
        for route in all_routes()
        if route.callback is serve or (media_prefix and route.route.startswith(media_prefix))
    ]
    assert serving == []


def test_system_checks_find_no_upload_problem():
    assert [m.id for m in run_checks() if m.id.startswith("documents.")] == []
