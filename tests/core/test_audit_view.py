"""The audit trail viewer: newest first, 50 a page, filters, a constant number of
queries, and the verify button naming a tampered record. Read-only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.core.audit import audit_append
from qualityaward.core.models import AuditRecord

from ..factories import UserFactory
from .test_audit import tamper

pytestmark = pytest.mark.django_db
URL = "/audit/"


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def records(n, *, actor, action="test.event", obj=None):
    with transaction.atomic():
        for i in range(n):
            audit_append(actor=actor, action=action, obj=obj, changes={"i": i, "名称": "质量"})


def seqs(response):
    return [r.seq for r in response.context["page"].object_list]


def test_audit_url_is_mounted():
    assert reverse("core:audit") == URL
    assert reverse("core:audit_verify") == "/audit/verify/"


def test_office_sees_the_newest_50_first_then_the_rest():
    office = UserFactory(roles=[Role.OFFICE], username="office1")
    client = client_for(office)
    base = AuditRecord.objects.count()  # the user's creation and login
    records(60 - base, actor=office)
    first = client.get(URL)
    assert seqs(first) == list(range(60, 10, -1))
    html = first.content.decode()
    newest = AuditRecord.objects.get(seq=60)
    assert newest.record_hash[:12] in html and newest.record_hash not in html.replace(
        f'title="{newest.record_hash}"', ""
    )
    assert "&quot;名称&quot;: &quot;质量&quot;" in html  # changes, pretty JSON
    local = timezone.localtime(newest.created_at)
    assert local.utcoffset() == datetime.timedelta(hours=8)  # Asia/Shanghai
    assert local.strftime("%Y-%m-%d %H:%M:%S") in html
    assert "Page 1 of 2 (60 records)" in html
    assert seqs(client.get(URL, {"page": 2})) == list(range(10, 0, -1))


def test_filters_by_action_prefix_actor_object_type_and_dates():
    alice = UserFactory(roles=[Role.OFFICE], username="alice")
    bob = UserFactory(roles=[Role.OFFICE], username="bob")
    client = client_for(alice)
    b = AuditRecord.objects.count()  # the users' creation and login
    records(2, actor=alice, action="evaluation.conduct_rate")
    records(1, actor=bob, action="evaluation.expert_suspend", obj=bob)
    records(1, actor=bob, action="applications.submit")
    assert seqs(client.get(URL, {"action": "evaluation."})) == [b + 3, b + 2, b + 1]
    assert seqs(client.get(URL, {"actor": "bob"})) == [b + 4, b + 3]
    assert seqs(client.get(URL, {"object_type": "accounts.user", "actor": "bob"})) == [b + 3]
    assert seqs(client.get(URL, {"action": "evaluation.", "actor": "bob"})) == [b + 3]
    today = timezone.localdate()
    everything = list(range(b + 4, 0, -1))
    assert seqs(client.get(URL, {"date_from": today, "date_to": today})) == everything
    yesterday = today - datetime.timedelta(days=1)
    assert seqs(client.get(URL, {"date_to": yesterday})) == []
    assert seqs(client.get(URL, {"date_from": today + datetime.timedelta(days=1)})) == []


def test_a_page_takes_the_same_number_of_queries_for_5_and_50_records():
    office = UserFactory(roles=[Role.OFFICE])
    actors = [UserFactory() for _ in range(5)]
    for actor in actors:
        records(1, actor=actor)
    client = client_for(office)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for _ in range(9):
        for actor in actors:
            records(1, actor=actor)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(seqs(response)) == 50
    assert len(large) == len(small)


def test_verify_reports_intact_then_the_tampered_record_and_writes_nothing():
    office = UserFactory(roles=[Role.OFFICE])
    client = client_for(office)
    records(5, actor=office)
    total = AuditRecord.objects.count()
    response = client.post(reverse("core:audit_verify"), HTTP_HX_REQUEST="true")
    assert response.content.decode().count(f"Intact: {total} records.") == 1
    tamper("UPDATE core_auditrecord SET changes = %s WHERE seq = 3", ['{"i": 99}'])
    response = client.post(reverse("core:audit_verify"), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert (
        "Broken at record #3: content does not match its hash (2 records intact before it)." in text
    )
    # without htmx the whole page comes back with the answer
    page = client.post(reverse("core:audit_verify")).content.decode()
    assert "Broken at record #3" in page and "Verify the chain" in page
    assert AuditRecord.objects.count() == total


def test_supervisor_reads_and_verifies_others_are_refused():
    office = UserFactory(roles=[Role.OFFICE])
    supervisor = client_for(UserFactory(roles=[Role.SUPERVISOR]))
    records(3, actor=office)
    total = AuditRecord.objects.count()
    assert seqs(supervisor.get(URL)) == list(range(total, 0, -1))
    assert (
        f"Intact: {total} records."
        in supervisor.post(reverse("core:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    )
    for role in (Role.EXPERT, Role.APPLICANT, Role.WORKING_GROUP, Role.AGENCY):
        client = client_for(UserFactory(roles=[role]))
        assert client.get(URL).status_code == 403
        assert client.post(reverse("core:audit_verify")).status_code == 403
    assert Client().get(URL)["Location"].startswith("/accounts/login/")
    assert (
        not AuditRecord.objects.filter(seq__gt=total)
        .exclude(action__startswith="accounts.")
        .exists()
    )  # only the refused users' creation and login
