import pytest

from qualityaward.accounts.enums import Role
from qualityaward.rulesets.services import preset_load


@pytest.fixture
def preset(db):
    """The shipped Erenhot rule set: version 1 under GB/T 19580-2012."""
    return preset_load(name="erenhot-2021", actor="test").version


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client
