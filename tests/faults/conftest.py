import pytest

from ..applications.factories import OrganisationFactory, applicant_user, published_call


@pytest.fixture
def draft(cycle, media_root):
    """A draft application of an organisation, and its applicant user."""
    from qualityaward.applications.services.applications import application_start

    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    application = application_start(call=published_call(cycle), applicant=organisation, actor=user)
    return application, user
