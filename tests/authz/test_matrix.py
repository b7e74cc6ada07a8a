"""Every URL of the site, opened by every actor, answers what tests/authz/matrix.py declares.

POST rights are covered by the services' own tests; here each page is opened with GET."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..proof_counts import add
from ..urls_helpers import all_routes
from .matrix import MATRIX
from .scenario import ACTORS, build_scenario


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
    add("authz_urls", len(MATRIX))
    add("authz_checks", checked)
    assert mismatches == [], "\n".join(mismatches)
    assert checked == len(MATRIX) * len(ACTORS)
