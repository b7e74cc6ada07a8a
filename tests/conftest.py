import pytest

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_tests(settings, request):
    """Hash passwords quickly (Argon2 is tested on its own) and serve static files plainly."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def user_with_role(db):
    def make(role, **kwargs):
        return UserFactory(roles=[role], **kwargs)

    return make
