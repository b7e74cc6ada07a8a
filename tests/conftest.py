import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .factories import UserFactory
from .proof_counts import summary


def pytest_terminal_summary(terminalreporter):
    summary(terminalreporter)


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
