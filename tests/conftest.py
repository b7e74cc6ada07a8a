import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from .factories import UserFactory
from .proof_counts import COUNTS, summary


def pytest_terminal_summary(terminalreporter):
    summary(terminalreporter)


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker hands its proof counts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["proof_counts"] = dict(COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    COUNTS.update(getattr(node, "workeroutput", {}).get("proof_counts", {}))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request answered in English
    leaves English active in the thread, which would make tests depend on their order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_tests(settings, request):
    """Hash passwords quickly (Argon2 is tested on its own), give each test an empty
    cache, and serve static files plainly."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Primary keys and the audit sequence start again after each test's rollback, so
    # cache keys built from them repeat; tests run side by side must not share a cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """In tests only: `client.force_login(user)` stands for a finished login, password and
    second factor, as it stood before two factors were required. It gives the user a
    confirmed authenticator and marks the session as verified with it, the way
    django_otp.login does. The requirement itself is proved with real logins
    (tests/accounts/test_mfa.py), which do not use force_login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _force_login_accepts_the_privacy_notice(monkeypatch, _force_login_passes_the_second_factor):
    """In tests only: `client.force_login(user)` also stands for a user who has accepted
    the privacy notice in force, as every user stood before the notice was required. The
    requirement itself is proved without this shortcut (tests/security/
    test_privacy_notice.py saves an older version after force_login)."""
    from django.conf import settings

    force_login = Client.force_login

    def force_login_accepted(self, user, backend=None):
        force_login(self, user, backend)
        user.privacy_version = settings.QA_PRIVACY_NOTICE_VERSION
        user.save(update_fields=["privacy_version"])

    monkeypatch.setattr(Client, "force_login", force_login_accepted)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a fresh folder; the test can list what was written there."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture
def user_with_role(db):
    def make(role, **kwargs):
        return UserFactory(roles=[role], **kwargs)

    return make


@pytest.fixture
def preset_version(db):
    """The shipped Erenhot 2021 rule set (expired since 2026-08-31)."""
    from qualityaward.rulesets.services import preset_load

    return preset_load(name="erenhot-2021", actor="test").version


@pytest.fixture
def demo_version(preset_version):
    """An active demo version of the Erenhot rule set, in effect from 2026-09-01."""
    from qualityaward.rulesets.services import demo_version_create

    return demo_version_create(actor="test")


@pytest.fixture
def cycle(demo_version):
    from datetime import date

    from qualityaward.cycles.services import cycle_open

    return cycle_open(
        version=demo_version,
        number=3,
        name="第三届市长质量奖",
        start_date=date(2026, 9, 14),
        actor="test",
    )
