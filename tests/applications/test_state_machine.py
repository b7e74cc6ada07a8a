import itertools

import pytest

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import (
    TRANSITION_PERMISSIONS,
    TRANSITIONS,
    ApplicationState,
)
from qualityaward.applications.models import Application
from qualityaward.applications.services.applications import (
    application_start,
    application_transition,
)
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.core.models import AuditRecord

from ..factories import UserFactory
from .factories import OrganisationFactory, applicant_user

pytestmark = pytest.mark.django_db

STATES = list(ApplicationState.values)
PAIRS = list(itertools.product(STATES, STATES))


@pytest.fixture
def setup(call):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    application = application_start(call=call, applicant=organisation, actor=user)
    office = UserFactory(roles=[Role.OFFICE])
    return application, user, office


def actor_for(to, user, office):
    perm = TRANSITION_PERMISSIONS.get(to, "")
    return office if perm == "applications.review_application" else user


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_follows_the_table(setup, current, to):
    application, user, office = setup
    Application.objects.filter(pk=application.pk).update(state=current)
    application.refresh_from_db()
    audits = AuditRecord.objects.count()
    if to in TRANSITIONS[current]:
        application_transition(application=application, to=to, actor=actor_for(to, user, office))
        assert Application.objects.get(pk=application.pk).state == to
        record = AuditRecord.objects.order_by("-seq").first()
        assert record.changes["from"] == current and record.changes["to"] == to
    else:
        with pytest.raises(QualityAwardError) as raised:
            application_transition(
                application=application, to=to, actor=actor_for(to, user, office)
            )
        assert raised.value.code == "transition_not_allowed"
        assert Application.objects.get(pk=application.pk).state == current
        assert AuditRecord.objects.count() == audits


def test_transition_to_an_unknown_state_is_refused(setup):
    application, user, _office = setup
    with pytest.raises(QualityAwardError):
        application_transition(application=application, to="approved", actor=user)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.DRAFT


def test_transition_by_the_wrong_role_is_refused(setup):
    application, user, office = setup
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    with pytest.raises(NotAllowed):
        application_transition(application=application, to=ApplicationState.QUALIFIED, actor=user)
    with pytest.raises(NotAllowed):
        application_transition(application=application, to=ApplicationState.WITHDRAWN, actor=office)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


def test_transition_notifies_the_applicant_after_commit(setup, django_capture_on_commit_callbacks):
    application, user, office = setup
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application, to=ApplicationState.REJECTED, actor=office, reason="理由"
        )
    notification = user.notifications.get()
    assert notification.body == "理由"
    assert notification.url == f"/applications/applications/{application.pk}/"
