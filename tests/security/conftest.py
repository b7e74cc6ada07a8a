from collections.abc import Callable

import pytest
from django.test import Client

from qualityaward.core.audit import audit_sequence
from qualityaward.core.models import AuditRecord

from ..proof_counts import add
from .refusals import SCRIPT, counts, files


@pytest.fixture
def refused(media_root):
    """`refused(client, url, data, message)`: post the bad input and check the refusal."""

    def check(
        client: Client,
        url: str,
        data: dict,
        message: str,
        *,
        unchanged: Callable[[], object] | None = None,
        audited: str = "",
    ) -> None:
        """`audited`: an audit action the refusal itself records (a failed login is in the
        security log); nothing else may be written."""
        before, files_before = counts(), files(media_root)
        last_seq = audit_sequence()
        state_before = unchanged() if unchanged else None
        # Pages that post and redirect show the refusal as a message on the next page.
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
        page = response.content.decode()
        where = f"{url} {sorted(data)}"
        assert response.status_code in (200, 400, 403, 404, 409, 413), where
        assert message in page, f"{where}: {message!r} not shown ({response.status_code})"
        assert SCRIPT not in page, f"{where}: the script came back unescaped"
        if audited:
            new = AuditRecord.objects.filter(seq__gt=last_seq).values_list("action", flat=True)
            assert set(new) <= {audited}, where
            before["core.AuditRecord"] += len(new)
        assert counts() == before, where
        assert files(media_root) == files_before, where
        if unchanged:
            assert unchanged() == state_before, where
        add("bad_inputs")

    return check
