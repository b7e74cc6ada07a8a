"""`manage.py demo`: four cycles in the right stages relative to the day it runs, each
account reaching what its role works on, the audit chain intact, kept on a second run,
rebuilt by --reset. Each build renders its application PDFs and certificates, so the
builds are few: one per date, and one more for the reset."""

import base64
import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.core.audit import verify_chain
from qualityaward.cycles.models import Cycle
from qualityaward.decisions.enums import ObjectionStatus
from qualityaward.decisions.models import Award, Objection, Publicity
from qualityaward.evaluation.models import ConflictDeclaration, Expert, PanelMember
from qualityaward.supervision.models import FollowUpVisit, FundReport
from qualityaward.workdays import calendar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ACCOUNT_LINE = re.compile(r"^  (\S+)\s+(\S+)\s+", flags=re.MULTILINE)
TOTP_KEY = re.compile(r"^  (\S+) .*\n    TOTP key (\S+)$", flags=re.MULTILINE)


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def on(day: datetime.date):
    """The clock at 10:00 Beijing time on `day`, running."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo("Asia/Shanghai"))
    )


def stage_dates(cycle: Cycle) -> dict[str, tuple]:
    return {s.code: (s.started_on, s.ended_on) for s in cycle.stages.all()}


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 6, 17), datetime.date(2026, 12, 29)],
    ids=["june", "end-of-year"],
)
def test_demo_builds_four_living_cycles_relative_to_today(client, today):
    with on(today):
        output = run_demo()
        printed = ACCOUNT_LINE.findall(output)
        # Each staff account's authenticator key follows its line (two factors are on).
        keys = dict(TOTP_KEY.findall(output))
        assert sorted(keys) == [
            "agency",
            "department",
            "expert",
            "office",
            "supervisor",
            "workgroup",
        ]
        assert timezone.localdate() == today
        finished, publicity_cycle, evaluation_cycle, open_cycle = Cycle.objects.order_by("number")

        # Open for applications: the call was published today and is open.
        call = open_cycle.call
        assert call.published_on == today
        assert call.is_open
        assert stage_dates(open_cycle)["call"] == (today, None)

        # In evaluation: started within the last working days, so nothing is overdue.
        stages = stage_dates(evaluation_cycle)
        assert stages["qualification_review"][1] is not None
        started, ended = stages["evaluation"]
        assert ended is None
        assert 0 < calendar.working_days_between(started, today) < 20

        # In publicity, today inside the period, with an objection lodged.
        publicity = Publicity.objects.get(cycle=publicity_cycle)
        assert publicity.first_day <= today <= publicity.last_day
        assert stage_dates(publicity_cycle)["publicity"] == (publicity.published_on, None)
        assert Objection.objects.get(publicity=publicity).status == ObjectionStatus.OPEN

        # Finished: every stage ended, certificates, a fund report and a follow-up visit.
        assert all(end is not None for _, end in stage_dates(finished).values())
        awards = Award.objects.filter(cycle=finished)
        assert awards.count() == 2
        assert all(award.serial for award in awards)
        assert FundReport.objects.filter(award__cycle=finished).exists()
        assert FollowUpVisit.objects.filter(award__cycle=finished).exists()

        # What each account needs.
        users = {u.username: u for u in User.objects.all()}
        applicant, person = users["applicant"], users["person"]
        own = Application.objects.get(cycle=open_cycle, applicant__users=applicant)
        assert own.state == ApplicationState.DRAFT
        assert Application.objects.get(cycle=open_cycle, applicant__users=person).state == (
            ApplicationState.SUBMITTED
        )
        expert = Expert.objects.get(user=users["expert"])
        seats = PanelMember.objects.filter(expert=expert, panel__cycle=evaluation_cycle)
        assert seats.filter(submitted_at__isnull=False).count() >= 1
        assert seats.filter(submitted_at__isnull=True).count() >= 1
        declared = ConflictDeclaration.objects.get(expert=expert)
        assert not seats.filter(panel__application__applicant=declared.applicant).exists()
        assert users["department"].role_grants.get(role=Role.DEPARTMENT).sector

        assert verify_chain()[1] is None

        # Every printed account logs in and its dashboard answers.
        assert len(printed) == 8
        for username, password in printed:
            assert (
                client.post(
                    reverse("accounts:login"), {"username": username, "password": password}
                ).status_code
                == 302
            ), username
            if username in keys:
                code = f"{TOTP(base64.b32decode(keys[username])).token():06d}"
                verify = client.post(reverse("accounts:mfa_verify"), {"token": code})
                assert verify.status_code == 302, username
            landing = client.get(reverse("portal:dashboard"))
            assert client.get(landing["Location"]).status_code == 200, username
            client.logout()
        client.force_login(applicant)
        assert client.get(reverse("applications:application", args=[own.pk])).status_code == 200
        client.force_login(users["expert"])
        assert client.get(reverse("evaluation:my_assignments")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_second_run_keeps_the_demo_and_reset_builds_it_again():
    """Committed as the command commits (PostgreSQL refuses to empty tables that have
    changes pending in the same transaction)."""
    with on(datetime.date(2026, 11, 18)):
        first = dict(ACCOUNT_LINE.findall(run_demo()))
        cycles = list(Cycle.objects.values_list("pk", flat=True))
        second = run_demo()
        assert "already built" in second
        assert not ACCOUNT_LINE.findall(second)
        assert list(Cycle.objects.values_list("pk", flat=True)) == cycles

        rebuilt = dict(ACCOUNT_LINE.findall(run_demo("--reset")))
        assert rebuilt.keys() == first.keys()
        office = User.objects.get(username="office")
        assert office.check_password(rebuilt["office"])
        assert not office.check_password(first["office"])
        assert Cycle.objects.count() == 4
        assert verify_chain()[1] is None


def test_reset_is_refused_when_the_database_holds_more_than_the_demo():
    User.objects.create_user(username="wang", password="Correct-horse-42")
    with pytest.raises(CommandError, match="wang"):
        run_demo("--reset")
    assert User.objects.filter(username="wang").exists()
