import factory
from django.conf import settings

from qualityaward.accounts.models import RoleGrant, User

TEST_PASSWORD = "Correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(TEST_PASSWORD)
    # Test users have accepted the privacy notice in force, so that a real login reaches
    # the page under test; tests/security/test_privacy_notice.py proves the requirement.
    privacy_version = factory.LazyFunction(lambda: settings.QA_PRIVACY_NOTICE_VERSION)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)


def totp_code(device) -> str:
    """The code an authenticator app shows now for `device` (a TOTPDevice); the next
    step's code if this step's was already used, as the app shows 30 s later."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.time = totp.time + device.step
    return str(totp.token()).zfill(device.digits)
