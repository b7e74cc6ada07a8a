"""Fuzz the JSON API from its own OpenAPI schema (schemathesis), in-process through the
WSGI application, as every role (token authentication) and anonymously.

Every response must be no server error, have a status code the schema documents, the
content type it documents, and a body that conforms to it. Bounded and derandomized so
CI is stable: a few examples per operation and actor."""

from __future__ import annotations

import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..authz.scenario import ACTORS, build_scenario
from ..proof_counts import add

MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """Requests through the WSGI app close "old" database connections when they finish
    (CONN_MAX_AGE); that would end the test's transaction. Django's test client turns
    this off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    from qualityaward.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _tokens(scenario) -> dict[str, str | None]:
    from rest_framework.authtoken.models import Token

    tokens: dict[str, str | None] = {"anonymous": None}
    for actor, user in scenario.users.items():
        tokens[actor] = Token.objects.create(user=user).key
    return tokens


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.django_db
def test_schema_documents_the_api_under_v1(keep_connection):
    schema = _schema()
    paths = sorted({operation.path for operation in _operations(schema)})
    assert paths, "the schema lists no operation"
    assert all(path.startswith("/api/v1/") for path in paths), paths
    assert "/api/v1/me/" in paths


@pytest.mark.django_db
def test_fuzzed_requests_of_every_role_get_documented_answers_and_no_server_error(
    cycle, media_root, keep_connection
):
    scenario = build_scenario(cycle)
    tokens = _tokens(scenario)
    schema = _schema()
    failures: list[str] = []
    cases = 0
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(f"{request.method} {request.get_full_path()}: {traceback.format_exc()}")

    got_request_exception.connect(record)

    def fuzz(operation, actor):
        headers = {"Authorization": f"Token {tokens[actor]}"} if tokens[actor] else {}

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal cases
            cases += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, FailureGroup) as error:
                found = getattr(error, "exceptions", [error])
                titles = "; ".join(getattr(e, "title", str(e)).splitlines()[0] for e in found)
                failures.append(
                    f"{operation.label} as {actor}: {response.status_code} {titles}: "
                    f"{response.text[:200]}\n  {case.as_curl_command()[:300]}"
                )

        run()

    for operation in _operations(schema):
        for actor in ACTORS:
            fuzz(operation, actor)
    got_request_exception.disconnect(record)
    add("fuzz_cases", cases)
    assert errors == [], "first server error:\n" + (errors[0] if errors else "")
    assert failures == [], "\n".join(failures[:30])
    assert cases >= len(_operations(schema)) * len(ACTORS)
