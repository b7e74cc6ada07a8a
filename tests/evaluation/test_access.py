"""Who sees what of an application under evaluation (A25, A30).

The 404 rule: a user who must recuse from the applicant (an expert with an active
conflict, a staff member with a recorded interest) gets 404 on EVERY URL of the
application. `test_conflicted_users_get_404_on_every_url_of_the_application` walks
the whole site (django.urls.get_resolver, with the evaluation and applications APIs)
and picks every pattern that is "of an application":

- a segment of its route is "applications/<…>" (an application id), "panels/<…>" (a
  panel) or "members/<…>" (a panel seat): `OBJECT_ROUTE`, or
- it takes a kwarg named in `OBJECT_KWARGS` (evidence_pk, application_pk, panel_pk,
  member_pk).

Each kwarg is filled from `KWARG_VALUES`; a new pattern with a kwarg the test does not
know fails the test, so a new URL of an application cannot be added without being
checked. GET is tried first, POST when the view refuses GET (405)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.applications.models import Evidence
from qualityaward.core.models import AuditRecord
from qualityaward.documents.pdf import pdf_text
from qualityaward.documents.services import stored_file_create
from qualityaward.evaluation.models import PanelMember, StaffConflict
from qualityaward.evaluation.services.conflicts import conflicts_refresh

from ..factories import UserFactory
from .factories import (
    ExpertFactory,
    conflict_by_employment,
    make_panel,
    qualified_application,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.api_urls")]

OBJECT_KWARGS = {"evidence_pk", "application_pk", "panel_pk", "member_pk"}
OBJECT_ROUTE = re.compile(r"(?:^|/)(?:applications|panels|members)/<")
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pdf_bytes(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def evidence(application, *, secret: bool, name: str) -> Evidence:
    stored = stored_file_create(
        upload=SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"),
        allowed={"pdf"},
        uploaded_by=None,
        is_trade_secret=secret,
        owner=application,
    )
    return Evidence.objects.create(
        application=application, stored_file=stored, title=name, is_trade_secret=secret
    )


@pytest.fixture
def world(cycle, media_root):
    application = qualified_application(cycle)
    lead, confirmed, unconfirmed, conflicted = (ExpertFactory() for _ in range(4))
    panel = make_panel(application, [lead, confirmed, conflicted])
    PanelMember.objects.create(panel=panel, expert=unconfirmed, method="manual")
    conflict_by_employment(conflicted, application)
    conflicts_refresh(actor="test")
    office = UserFactory(roles=[Role.OFFICE])
    conflicted_office = UserFactory(roles=[Role.OFFICE])
    StaffConflict.objects.create(
        user=conflicted_office, applicant=application.applicant, reason="亲属"
    )
    return {
        "application": application,
        "panel": panel,
        "secret": evidence(application, secret=True, name="secret.pdf"),
        "plain": evidence(application, secret=False, name="plain.pdf"),
        "lead": lead,
        "confirmed": confirmed,
        "unconfirmed": unconfirmed,
        "conflicted": conflicted,
        "office": office,
        "conflicted_office": conflicted_office,
    }


def walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def application_patterns():
    """(route, pattern) of every URL of an application (see the module docstring)."""
    found = []
    for route, pattern in walk(get_resolver()):
        kwargs = set(pattern.pattern.regex.groupindex)
        if OBJECT_ROUTE.search(route) or kwargs & OBJECT_KWARGS:
            found.append((route, pattern))
    return found


def kwargs_for(route: str, names: set[str], world, member) -> dict:
    values = {}
    for name in names:
        if name == "pk":
            if "applications/<int:pk>" in route:
                values[name] = world["application"].pk
            elif "panels/<int:pk>" in route:
                values[name] = world["panel"].pk
            elif "members/<int:pk>" in route:
                values[name] = member.pk
            else:
                raise AssertionError(f"{route}: which object is <pk>? Add it to kwargs_for.")
        elif name == "evidence_pk":
            values[name] = world["secret"].pk
        elif name == "supplement":
            values[name] = 1
        elif name == "section":
            values[name] = "form"
        else:
            raise AssertionError(f"{route}: unknown kwarg {name!r}; add it to kwargs_for.")
    return values


def fetch(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("who", ["conflicted", "conflicted_office"])
def test_conflicted_users_get_404_on_every_url_of_the_application(world, who):
    user = world[who].user if who == "conflicted" else world[who]
    member = PanelMember.objects.get(panel=world["panel"], expert=world["conflicted"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    checked, wrong = [], []
    for route, pattern in application_patterns():
        names = set(pattern.pattern.regex.groupindex)
        values = kwargs_for(route, names, world, member)
        url = "/" + ROUTE_PARAMETER.sub(lambda m, v=values: str(v[m.group(1)]), route)
        response = fetch(client, url)
        checked.append(route)
        if response.status_code != 404:
            wrong.append(f"{url} -> {response.status_code}")
    assert wrong == []
    # the walk found the known URLs (it cannot pass by finding nothing)
    for expected in (
        "applications/applications/<int:pk>/",
        "applications/applications/<int:pk>/evidence/<int:evidence_pk>/",
        "evaluation/panels/<int:pk>/consensus/",
        "evaluation/members/<int:pk>/",
        "evaluation/members/<int:pk>/submit/",
        "evaluation/applications/<int:pk>/evidence/<int:evidence_pk>/",
        "api/v1/evaluation/members/<int:pk>/scores/",
        "api/v1/applications/<int:pk>/",
    ):
        assert expected in checked
    assert len(checked) >= 30


def test_the_same_urls_open_for_users_without_a_conflict(world):
    office = Client(HTTP_ACCEPT_LANGUAGE="en")
    office.force_login(world["office"])
    page = office.get(reverse("applications:application", args=[world["application"].pk]))
    assert world["application"].applicant.name in page.content.decode()
    expert = Client(HTTP_ACCEPT_LANGUAGE="en")
    expert.force_login(world["confirmed"].user)
    member = PanelMember.objects.get(panel=world["panel"], expert=world["confirmed"])
    page = expert.get(reverse("evaluation:member", args=[member.pk]))
    assert "My scores" in page.content.decode()


def test_conflicted_expert_does_not_see_the_seat_in_the_list_or_the_api(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world["conflicted"].user)
    page = client.get(reverse("evaluation:my_assignments")).content.decode()
    assert world["application"].applicant.name not in page
    assert "You are on no panel yet." in page
    assert client.get("/api/v1/evaluation/assignments/").json() == []


def test_the_applications_predicate_denies_a_conflicted_staff_member(world):
    from qualityaward.applications.rules import has_conflict_with_application

    application = world["application"]
    assert has_conflict_with_application(world["conflicted_office"], application) is True
    assert has_conflict_with_application(world["office"], application) is False
    assert (
        world["conflicted_office"].has_perm("applications.view_application", application) is False
    )
    assert world["office"].has_perm("applications.view_application", application) is True


# --- trade secrets (A30) ------------------------------------------------------------------


def read(user, world, key="secret"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    url = reverse("evaluation:evidence_read", args=[world["application"].pk, world[key].pk])
    return client.get(url)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_trade_secret_access_matrix(world):
    department = UserFactory(roles=[Role.DEPARTMENT])
    applicant = UserFactory(roles=[Role.APPLICANT])
    world["application"].applicant.users.add(applicant)
    outsider = ExpertFactory().user
    matrix = {
        "office": (world["office"], 200),
        "confirmed member": (world["confirmed"].user, 200),
        "lead": (world["lead"].user, 200),
        "unconfirmed member": (world["unconfirmed"].user, 404),
        "conflicted member": (world["conflicted"].user, 404),
        "conflicted office": (world["conflicted_office"], 404),
        "expert of no panel": (outsider, 404),
        "department": (department, 404),
        "applicant": (applicant, 404),
    }
    got = {name: read(user, world).status_code for name, (user, _status) in matrix.items()}
    assert got == {name: status for name, (_user, status) in matrix.items()}
    reads = AuditRecord.objects.filter(action="documents.file_read")
    assert reads.count() == 3
    assert set(reads.values_list("actor_id", flat=True)) == {
        world["office"].pk,
        world["confirmed"].user_id,
        world["lead"].user_id,
    }


def test_trade_secret_pdf_carries_the_readers_name_and_the_time(world):
    user = world["confirmed"].user
    user.display_name = "Zhang San"
    user.save(update_fields=["display_name"])
    response = read(user, world)
    text = pdf_text(body(response))
    assert "Zhang San" in text
    assert "for evaluation only" in text
    assert response["Cache-Control"] == "private, no-store"


def test_plain_evidence_is_served_as_uploaded_and_not_recorded(world):
    response = read(world["confirmed"].user, world, key="plain")
    assert body(response) == world["plain"].stored_file.file.open("rb").read()
    assert not AuditRecord.objects.filter(action="documents.file_read").exists()
