"""Every URL of the site, opened by every actor, answers what tests/authz/matrix.py declares.

POST rights are covered by the services' own tests; here each page is opened with GET."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..proof_counts import add
from ..urls_helpers import all_routes
from .matrix import MATRIX
from .scenario import ACTORS, AWARD_B_ACTORS, build_scenario


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = [route.name for route in all_routes() if route.name not in MATRIX]
    assert missing == [], "\n".join(
        f"add a row to tests/authz/matrix.py for {name}" for name in missing
    )


def test_every_row_of_the_matrix_names_an_existing_url_pattern():
    names = {route.name for route in all_routes()}
    assert sorted(set(MATRIX) - names) == []


def test_every_row_fills_exactly_the_parameters_of_its_route():
    wrong = {
        route.name: (sorted(MATRIX[route.name].kwargs), sorted(route.parameters))
        for route in all_routes()
        if route.name in MATRIX and sorted(MATRIX[route.name].kwargs) != sorted(route.parameters)
    }
    assert wrong == {}


def test_every_row_declares_a_status_for_every_actor():
    for row in MATRIX.values():
        assert sorted(row.expected) == sorted(ACTORS), row.name
        assert set(row.expected.values()) <= {200, 204, 302, 403, 404, 405}, row.name


def _clients(scenario) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for actor, user in scenario.users.items():
        clients[actor] = Client()
        clients[actor].force_login(user)
    return clients


@pytest.mark.django_db
def test_scenario_has_one_conflicted_and_one_free_expert(cycle, media_root):
    from qualityaward.evaluation.rules import has_conflict

    scenario = build_scenario(cycle)
    applicant_a = scenario.objects["applicant_a"]
    assert has_conflict(scenario.users["conflicted_expert"], applicant_a) is True
    assert has_conflict(scenario.users["expert"], applicant_a) is False
    assert scenario.objects["application_a"].receipt_number.startswith("QA-2026-03-")
    scenario.objects["application_b"].refresh_from_db()
    assert scenario.objects["application_b"].state == "qualified"
    seats = set(
        scenario.objects["panel_a"].members.values_list("expert__user__username", flat=True)
    )
    assert {"expert", "conflicted_expert"} <= seats


@pytest.mark.django_db
def test_every_actor_gets_the_declared_status_on_every_url(cycle, media_root):
    scenario = build_scenario(cycle)
    clients = _clients(scenario)
    # Nothing of applicant A may leak on a page that refuses or hides it.
    secret = scenario.objects["applicant_a"].name
    # Nothing of the other award may show on a private page: award A's applicant to
    # award B's staff, award B's applicant to award A's staff.
    secret_of_other_award = {actor: secret for actor in AWARD_B_ACTORS}
    secret_of_other_award.update(
        dict.fromkeys(AWARD_B_ACTORS.values(), scenario.objects["applicant_c"].name)
    )
    login_url = reverse("accounts:login")
    mismatches: list[str] = []
    checked = 0
    for route in all_routes():
        row = MATRIX.get(route.name)
        if row is None:
            continue  # reported by test_every_url_pattern_has_a_row_in_the_matrix
        path = route.fill({key: scenario.value(ref) for key, ref in row.kwargs.items()})
        query = {key: scenario.value(ref) for key, ref in row.query.items()}
        for actor in ACTORS:
            response = clients[actor].get(path, query, HTTP_ACCEPT_LANGUAGE="en")
            checked += 1
            expected = row.expected[actor]
            got = response.status_code
            where = f"{route.name} {path} as {actor}"
            if got != expected:
                mismatches.append(f"{where}: expected {expected}, got {got}")
                continue
            if got == 302:
                to_login = response["Location"].startswith(login_url)
                if to_login != (actor == "anonymous" and not row.public):
                    mismatches.append(f"{where}: redirected to {response['Location']}")
            # What a signed-in user reads stays out of every cache; public pages may be
            # cached.
            private = got == 200 and actor != "anonymous" and not row.public
            if private and "no-store" not in response.get("Cache-Control", ""):
                mismatches.append(f"{where}: may be cached ({response.get('Cache-Control')})")
            streaming = getattr(response, "streaming", False)
            if got in (403, 404) and not streaming and secret in response.content.decode():
                mismatches.append(f"{where}: the refusal shows {secret}")
            other = secret_of_other_award.get(actor)
            textual = response.get("Content-Type", "").startswith(("text/", "application/json"))
            if (
                private
                and other
                and textual
                and not streaming
                and other in response.content.decode()
            ):
                mismatches.append(f"{where}: shows {other} of the other award")
    mismatches += _other_award_mismatches(scenario, clients)
    add("authz_urls", len(MATRIX))
    add("authz_checks", checked)
    assert mismatches == [], "\n".join(mismatches)
    assert checked == len(MATRIX) * len(ACTORS)


# Pages of award B's objects: award A's staff get 404, award B's staff of the same role
# see them (the status award A's staff get on award A's objects).
AWARD_B_PAGES = [
    ("cycles:detail", {"pk": "cycle_b"}, {"office": 200, "supervisor": 200, "agency": 200}),
    ("rulesets:version_detail", {"pk": "version_b"}, {"office": 200, "supervisor": 200}),
    ("applications:call_edit", {"pk": "call_b"}, {"office": 200}),
    ("applications:application", {"pk": "application_c"}, {"office": 200, "department": 200}),
    ("applications:detail", {"pk": "applicant_c"}, {"office": 200, "department": 200}),
    ("api:application", {"pk": "application_c"}, {"office": 200, "department": 200}),
    ("decisions:cycle", {"cycle_pk": "cycle_b"}, {"office": 200, "working_group": 200}),
    ("evaluation:cycle_panels", {"cycle_pk": "cycle_b"}, {"office": 200, "supervisor": 200}),
    ("evaluation:cycle_results", {"cycle_pk": "cycle_b"}, {"office": 200, "supervisor": 200}),
    ("supervision:statistics_export", {"pk": "cycle_b"}, {"office": 200, "supervisor": 200}),
    ("exports:archive", {"cycle_pk": "cycle_b"}, {"office": 200, "supervisor": 200}),
    ("api:evaluation_results", {"pk": "cycle_b"}, {"office": 200, "supervisor": 200}),
]


def _other_award_mismatches(scenario, clients: dict[str, Client]) -> list[str]:
    """Award A's staff get 404 on award B's objects that award B's staff see, and each
    award's staff dashboards show their own award's cycle only. Run within the matrix's
    test: its scenario is built once."""
    mismatches = []
    for name, kwargs, seen_by in AWARD_B_PAGES:
        path = reverse(name, kwargs={key: scenario.value(ref) for key, ref in kwargs.items()})
        for actor_a, status in seen_by.items():
            for actor, expected in ((actor_a, 404), (f"{actor_a}_b", status)):
                got = clients[actor].get(path, HTTP_ACCEPT_LANGUAGE="en").status_code
                if got != expected:
                    mismatches.append(f"{name} as {actor}: expected {expected}, got {got}")
    # Dashboards: each award's staff see their own award's cycle and not the other's.
    cycle_a, cycle_b = scenario.objects["cycle"].name, scenario.objects["cycle_b"].name
    for actor_b, actor_a in AWARD_B_ACTORS.items():
        path = reverse("portal:role_dashboard", kwargs={"role": actor_a})
        for actor, other in ((actor_a, cycle_b), (actor_b, cycle_a)):
            html = clients[actor].get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
            if other in html:
                mismatches.append(f"{actor}'s dashboard shows {other}")
    office = reverse("portal:role_dashboard", kwargs={"role": "office"})
    for actor, own in (("office", cycle_a), ("office_b", cycle_b)):
        if own not in clients[actor].get(office).content.decode():
            mismatches.append(f"{actor}'s dashboard does not show {own}")
    return mismatches
