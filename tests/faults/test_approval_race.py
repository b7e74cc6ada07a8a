"""Two office users recording the government's approval of the same cycle at once: one
approval, one audit record, and the other a clear message. (The qualification review's
race and the others are in tests/security/test_concurrency.py.)"""

import pytest

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import Conflict
from qualityaward.core.models import AuditRecord
from qualityaward.decisions.enums import WinnerStatus
from qualityaward.decisions.models import Approval, Winner
from qualityaward.decisions.services import awards as award_services
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publicity as publicity_services

from ..decisions.flow import CLOSED, D, hold_meeting, propose, publish_and_close
from ..factories import UserFactory
from ..security.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("real_connections"),
    pytest.mark.urls("tests.decisions.urls"),
]


def test_two_office_users_approving_the_same_cycle_record_one_approval(
    evaluated_cycle, applications, fake_results, office, members, set_today
):
    cycle, a = evaluated_cycle, applications
    publish_and_close(cycle, office)
    candidates = propose(cycle, office, [a["org_a"], a["ind_a"]])
    meeting = hold_meeting(
        candidates, office, members, votes={a["org_a"]: "for", a["ind_a"]: "for"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 15))
    first, second = UserFactory(roles=[Role.OFFICE]), UserFactory(roles=[Role.OFFICE])

    def approve(actor, number):
        return award_services.approval_record(
            cycle=cycle, document_number=number, approved_on=D(2026, 12, 14), actor=actor
        )

    results = race(
        lambda: approve(first, "二政字-2026-1"), lambda: approve(second, "二政字-2026-2")
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], Conflict), errors[0]
    assert "already recorded" in errors[0].message
    approval = Approval.objects.get(cycle=cycle)
    assert approval.document_number in {"二政字-2026-1", "二政字-2026-2"}
    assert AuditRecord.objects.filter(action="decisions.approval_record").count() == 1
    assert set(Winner.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
        WinnerStatus.APPROVED
    }
