"""On PostgreSQL a page's repeated queries are prepared once per connection, so the
server stops planning them on every request (settings: DB_SERVER_SIDE_BINDING)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

REPEATED = "SELECT 41 + %s AS answer_of_the_prepared_statements_test"


def _prepared(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
        ["%answer_of_the_prepared_statements_test"],
    )
    return cursor.fetchone()[0]


def test_a_query_run_five_times_on_one_connection_is_prepared_once():
    with connection.cursor() as cursor:
        for _ in range(4):
            cursor.execute(REPEATED, [1])
        assert _prepared(cursor) == 0
        for _ in range(3):
            cursor.execute(REPEATED, [1])
            assert cursor.fetchone()[0] == 42
        assert _prepared(cursor) == 1
