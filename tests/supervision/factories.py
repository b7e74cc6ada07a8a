"""Awards for the supervision tests, written as rows (the decisions flow up to the award
is tested in tests/decisions): application → meeting → approved winner → award."""

from __future__ import annotations

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application, Call
from qualityaward.decisions.enums import MeetingPurpose, WinnerStatus
from qualityaward.decisions.models import Award, Meeting, Winner
from qualityaward.decisions.services.awards import valid_until

from ..applications.factories import OrganisationFactory, published_call

_serials = itertools.count(1)


def pdf_bytes() -> bytes:
    """A small valid one-page PDF (uploads are checked by content)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def qualified_application(cycle, applicant) -> Application:
    call = Call.objects.filter(cycle=cycle).first() or published_call(cycle)
    return Application.objects.create(
        call=call,
        cycle=cycle,
        applicant=applicant,
        state=ApplicationState.QUALIFIED,
        submitted_at=timezone.now(),
    )


def award_for(
    cycle,
    *,
    applicant=None,
    users=(),
    awarded_on: datetime.date = datetime.date(2026, 10, 20),
    prize_yuan: int = 200000,
) -> Award:
    applicant = applicant or OrganisationFactory(users=list(users))
    application = qualified_application(cycle, applicant)
    meeting = Meeting.objects.create(
        cycle=cycle, purpose=MeetingPurpose.AWARD, held_on=awarded_on, agenda="审议拟奖名单"
    )
    winner = Winner.objects.create(
        cycle=cycle,
        application=application,
        kind=applicant.kind,
        rank=1,
        decided_in=meeting,
        status=WinnerStatus.APPROVED,
    )
    return Award.objects.create(
        winner=winner,
        cycle=cycle,
        applicant=applicant,
        kind=applicant.kind,
        serial=f"EHQA-{awarded_on.year}-O-{next(_serials):02d}",
        awarded_on=awarded_on,
        valid_until=valid_until(awarded_on, 3),
        plaque_text=f"二连浩特市市长质量奖（{awarded_on.year}年）",
        prize_yuan=prize_yuan,
        prize_budget_year=awarded_on.year + 1 if prize_yuan else None,
    )


def awarded_expense(cycle, *, amount: str = "8000"):
    """An award of `cycle` (to a new applicant user, in 2024) with a 2025 fund report and
    one training expense with its PDF invoice. Returns the expense."""
    from qualityaward.accounts.enums import Role
    from qualityaward.supervision.services import funds

    from ..factories import UserFactory

    winner = UserFactory(roles=[Role.APPLICANT])
    award = award_for(cycle, users=[winner], awarded_on=datetime.date(2024, 10, 20))
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner)
    return funds.expense_add(
        report=report,
        use_code="training",
        amount=amount,
        spent_on=datetime.date(2025, 4, 1),
        description="培训",
        upload=pdf_upload(),
        actor=winner,
    )
