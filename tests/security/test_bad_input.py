"""Bad input on every form of the site: wrong types, empty, huge, malformed dates and
identifiers, script and HTML, path tricks in file names, content that does not match its
extension. Each is refused with a clear message (a 4xx, or the form again with the
error), nothing is stored (row counts, audit records, the media folder) and nothing the
user typed comes back unescaped. The forms of the decisions and the supervision are in
test_bad_input_decisions.py; the `refused` fixture is in conftest.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityaward.accounts.enums import Role

from ..authz.scenario import make_pdf
from ..factories import TEST_PASSWORD, UserFactory
from ..proof_counts import add
from .refusals import BAD_DATE, CHOICE, HUGE, REQUIRED, SCRIPT, WHOLE_NUMBER

pytestmark = pytest.mark.django_db


def _office(client) -> object:
    user = UserFactory(roles=[Role.OFFICE])
    client.force_login(user)
    return user


# --- registration and login -----------------------------------------------------------


def _organisation_signup(**changes) -> dict:
    data = {
        "username": "neworg",
        "email": "neworg@example.cn",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "credit_code": "91152501MA0000001X",
        "name": "二连浩特市新公司",
        "registered_address": "前进路1号",
        "in_jurisdiction": "on",
        "established_on": "2015-05-20",
        "ownership": "private",
        "sector": "trade_logistics",
        "area": "urban",
        "is_for_profit": "true",
    }
    data.update(changes)
    return data


def test_registration_refuses_bad_input_and_stores_nothing(client, refused):
    url = "/applications/register/organisation/"
    refused(client, url, {key: "" for key in _organisation_signup()}, REQUIRED)
    refused(client, url, _organisation_signup(established_on="2015-02-30"), BAD_DATE)
    refused(client, url, _organisation_signup(established_on="yesterday"), BAD_DATE)
    refused(client, url, _organisation_signup(sector="../../etc"), "Select a valid choice")
    refused(client, url, _organisation_signup(credit_code="12345"), "credit code")
    refused(client, url, _organisation_signup(credit_code=SCRIPT), "credit code")
    refused(client, url, _organisation_signup(name=HUGE), "at most")
    refused(
        client,
        url,
        _organisation_signup(username=SCRIPT, password2="other"),
        "password",
    )
    refused(client, url, _organisation_signup(registered_address=SCRIPT, name=""), REQUIRED)


def test_login_refuses_bad_input(client, refused):
    url = "/accounts/login/"
    refused(client, url, {"username": "", "password": ""}, REQUIRED)
    refused(client, url, {"username": HUGE, "password": "x"}, "at most")
    # A wrong username and password is a failed login, which the security log records.
    refused(
        client,
        url,
        {"username": SCRIPT, "password": SCRIPT},
        "correct username",
        audited="accounts.login_failed",
    )


# --- the office's forms ---------------------------------------------------------------


def test_calendar_import_refuses_bad_files_and_values(client, refused):
    _office(client)
    url = "/calendar/import/"

    def upload(name, data):
        return SimpleUploadedFile(name, data)

    refused(client, url, {"year": "", "notice": ""}, REQUIRED)
    refused(client, url, {"file": upload("2027.csv", b"\x89PNG\r\n\x1a\n\0\0\0"), "year": 2027}, "")
    refused(
        client, url, {"file": upload("2027.csv", b"date,kind,name\n"), "year": "abc"}, WHOLE_NUMBER
    )
    refused(
        client,
        url,
        {"file": upload("../../../etc/passwd.csv", b"date,kind,name\n2027-13-01,holiday,x\n")},
        "2027-13-01",
    )
    refused(
        client,
        url,
        {"file": upload("2027.csv", f"date,kind,name\n2027-01-01,holiday,{SCRIPT}\n".encode())},
        "year",
    )


def test_cycle_open_refuses_bad_values(client, refused, demo_version):
    _office(client)
    url = "/cycles/"
    good = {"version": demo_version.pk, "number": 4, "name": "第四届", "start_date": "2026-10-08"}
    refused(client, url, {key: "" for key in good}, REQUIRED)
    refused(client, url, {**good, "number": "abc"}, WHOLE_NUMBER)
    refused(client, url, {**good, "number": "-1"}, "greater than or equal to 1")
    refused(client, url, {**good, "start_date": "2026-02-30"}, BAD_DATE)
    refused(client, url, {**good, "version": "999999999999999999999"}, "Select a valid choice")
    refused(client, url, {**good, "version": "1 OR 1=1"}, "Select a valid choice")
    refused(client, url, {**good, "name": HUGE}, "at most 200")
    refused(client, url, {**good, "name": SCRIPT, "number": ""}, REQUIRED)


@pytest.fixture
def draft_call(cycle):
    from qualityaward.applications.services.calls import call_draft

    return call_draft(cycle=cycle, actor="test", deadline=datetime.date(2026, 12, 31))


def test_call_edit_refuses_bad_values(client, refused, draft_call):
    _office(client)
    url = f"/applications/calls/{draft_call.pk}/edit/"
    good = {
        "title": "申报通知",
        "text": "正文",
        "where_to_submit": "本平台",
        "deadline": "2026-12-31",
    }

    def state():
        draft_call.refresh_from_db()
        return (draft_call.title, draft_call.text, draft_call.deadline)

    refused(client, url, {key: "" for key in good}, REQUIRED, unchanged=state)
    refused(client, url, {**good, "deadline": "31/12/2026x"}, BAD_DATE, unchanged=state)
    refused(client, url, {**good, "title": HUGE}, "at most", unchanged=state)
    refused(client, url, {**good, "text": SCRIPT, "title": ""}, REQUIRED, unchanged=state)


def test_call_template_upload_refuses_mismatched_content(client, refused, draft_call):
    _office(client)
    url = f"/applications/calls/{draft_call.pk}/templates/"
    html = b"<html><body><script>alert(1)</script></body></html>"
    refused(client, url, {"title": "t", "file": SimpleUploadedFile("form.pdf", html)}, "PDF")
    refused(
        client,
        url,
        {"title": SCRIPT, "file": SimpleUploadedFile("../../../../tmp/x.pdf", html)},
        "PDF",
    )
    refused(client, url, {"title": "t", "file": SimpleUploadedFile("empty.docx", b"")}, "empty")


def test_agency_form_refuses_bad_values(client, refused):
    _office(client)
    url = "/evaluation/agencies/"
    refused(client, url, {"name": "", "credit_code": ""}, REQUIRED)
    refused(client, url, {"name": HUGE, "credit_code": "91150100MA0000001X"}, "at most 200")
    refused(client, url, {"name": "某中心", "credit_code": "9" * 40}, "at most 18")
    refused(client, url, {"name": SCRIPT}, REQUIRED)


@pytest.fixture
def draft_version(preset_version):
    from qualityaward.rulesets.services import ruleset_version_clone

    return ruleset_version_clone(version=preset_version, actor="test")


def _version_state(version):
    def state():
        version.refresh_from_db()
        return (
            version.title,
            version.document_number,
            version.effective_from,
            version.effective_to,
            version.framework_id,
            version.notes,
            version.values,
        )

    return state


def test_rule_set_edit_refuses_bad_general_values(client, refused, draft_version):
    _office(client)
    url = f"/rulesets/versions/{draft_version.pk}/edit/"
    state = _version_state(draft_version)
    good = {
        "title": "二连浩特市市长质量奖管理办法",
        "document_number": "二政发〔2021〕1号",  # noqa: RUF001
        "effective_from": "2026-09-01",
        "effective_to": "",
        "framework": draft_version.framework_id,
        "notes": "",
    }
    refused(client, url, {key: "" for key in good}, REQUIRED, unchanged=state)
    refused(client, url, {**good, "title": HUGE}, "at most 300", unchanged=state)
    refused(client, url, {**good, "title": "   "}, REQUIRED, unchanged=state)
    refused(client, url, {**good, "document_number": HUGE}, "at most 100", unchanged=state)
    refused(client, url, {**good, "notes": HUGE}, "at most 5000", unchanged=state)
    refused(client, url, {**good, "effective_from": "2026-02-30"}, BAD_DATE, unchanged=state)
    refused(client, url, {**good, "effective_to": "2020-01-01"}, "cannot end", unchanged=state)
    refused(client, url, {**good, "framework": "abc"}, CHOICE, unchanged=state)
    refused(client, url, {**good, "framework": "99999999999999999999"}, CHOICE, unchanged=state)
    refused(client, url, {**good, "title": SCRIPT, "effective_from": ""}, REQUIRED, unchanged=state)


def test_rule_set_edit_refuses_bad_rule_values(client, refused, draft_version):
    import json

    _office(client)
    url = f"/rulesets/versions/{draft_version.pk}/edit/?group=publication"
    state = _version_state(draft_version)
    good = {}
    for key in (
        "public_result_fields",
        "comment_contact_required",
        "working_group_quorum_fraction",
    ):
        entry = draft_version.values[key]
        value = entry["value"]
        if isinstance(value, bool):
            value = str(value).lower()
        elif isinstance(value, list):
            value = json.dumps(value)
        good[f"{key}-value"] = str(value)
        good[f"{key}-article"] = str(entry["article"])
        good[f"{key}-clause"] = "" if entry["clause"] is None else str(entry["clause"])
        good[f"{key}-basis"] = entry["basis"]
        good[f"{key}-note"] = entry["note"]
    refused(client, url, {key: "" for key in good}, REQUIRED, unchanged=state)
    refused(client, url, {**good, "public_result_fields-value": "[1,"}, "JSON", unchanged=state)
    refused(
        client,
        url,
        {**good, "public_result_fields-value": json.dumps(["name", "../../etc/passwd"])},
        "../../etc/passwd",
        unchanged=state,
    )
    refused(
        client,
        url,
        {**good, "working_group_quorum_fraction-value": "2/0"},
        "fraction",
        unchanged=state,
    )
    refused(
        client, url, {**good, "comment_contact_required-value": SCRIPT}, CHOICE, unchanged=state
    )
    refused(
        client,
        url,
        {**good, "comment_contact_required-article": "abc"},
        WHOLE_NUMBER,
        unchanged=state,
    )
    refused(
        client,
        url,
        {**good, "comment_contact_required-article": "0"},
        "greater than or equal to 1",
        unchanged=state,
    )
    refused(
        client,
        url,
        {**good, "comment_contact_required-clause": "99999999999999999999"},
        "less than or equal to",
        unchanged=state,
    )
    refused(
        client, url, {**good, "comment_contact_required-basis": "../x"}, CHOICE, unchanged=state
    )
    refused(
        client,
        url,
        {**good, "comment_contact_required-note": HUGE},
        "at most 2000",
        unchanged=state,
    )


def test_rule_set_edit_group_must_exist(client, draft_version):
    _office(client)
    url = f"/rulesets/versions/{draft_version.pk}/edit/?group=../../etc/passwd"
    assert client.post(url, {"title": "x"}).status_code == 404
    add("bad_inputs")


# --- the applicant's application ------------------------------------------------------


@pytest.fixture
def draft(cycle, media_root):
    from ..applications.factories import applicant_user, published_call, ready_application

    call = published_call(cycle)
    application, user = ready_application(call, user=applicant_user())
    return application, user


def test_application_form_refuses_bad_values(client, refused, draft):
    application, user = draft
    client.force_login(user)
    url = f"/applications/applications/{application.pk}/sections/form/"

    def state():
        application.refresh_from_db()
        return application.version

    version = application.version
    good = {
        "version": version,
        "contact_person": "王经理",
        "contact_phone": "0479-7512345",
        "achievements": "推行卓越绩效模式",
        "key_figures": "营业收入1亿元",
    }
    refused(client, url, {**good, "version": "abc"}, "reload", unchanged=state)
    refused(client, url, {**good, "version": version - 1}, "reload", unchanged=state)
    refused(client, url, {**good, "contact_phone": HUGE}, "at most", unchanged=state)
    refused(client, url, {**good, "achievements": HUGE}, "at most", unchanged=state)


def test_evidence_upload_refuses_mismatched_and_tricky_files(client, refused, draft):
    application, user = draft
    client.force_login(user)
    url = f"/applications/applications/{application.pk}/evidence/"

    def post(name, data, **extra):
        return {
            "version": application.version,
            "title": "证据",
            "file": SimpleUploadedFile(name, data),
            **extra,
        }

    html = f"<html><body>{SCRIPT}</body></html>".encode()
    refused(client, url, post("手册.pdf", html), "PDF")
    refused(client, url, post("../../../../etc/cron.d/x.pdf", html), "PDF")
    refused(client, url, post("photo.png", b"MZ\x90\x00\x03" + b"\0" * 64), "PNG")
    refused(client, url, post("empty.pdf", b""), "empty")
    refused(client, url, post("x.exe", b"MZ\x90\x00"), "type")


def test_evidence_upload_says_the_title_is_too_long(client, refused, draft):
    application, user = draft
    client.force_login(user)
    refused(
        client,
        f"/applications/applications/{application.pk}/evidence/",
        {
            "version": application.version,
            "title": HUGE,
            "file": SimpleUploadedFile("ok.pdf", make_pdf()),
        },
        "at most",
    )


# --- identifiers that are not ours, or not numbers the database can hold ---------------


@pytest.mark.parametrize(
    "path",
    [
        "/applications/applications/99999999999999999999/",
        "/applications/applicants/9223372036854775808/",
        "/api/v1/applications/99999999999999999999/",
        "/api/v1/rulesets/99999999999999999999/",
        "/evaluation/experts/99999999999999999999/",
        "/cycles/99999999999999999999/",
        "/api/v1/decisions/results/6413690685288766031070756864/",
        "/decisions/cycles/99999999999999999999/",
        "/evaluation/panels/99999999999999999999/",
    ],
)
def test_identifier_beyond_the_database_range_is_not_found(client, path):
    _office(client)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    add("bad_inputs")


@pytest.mark.parametrize(
    "cookie",
    [
        'sessionid="abcdefgh\\000ijklmnop"',  # octal escape: the parser makes it a NUL byte
        "sessionid=abcdefgh\x00ijklmnop",
        "sessionid=" + "é" * 40,
        "sessionid=../../../../etc/passwd",
    ],
)
@pytest.mark.parametrize("path", ["/dashboard/", "/api/v1/me/", "/"])
def test_malformed_session_cookie_counts_as_no_session(client, cookie, path):
    response = client.get(path, HTTP_COOKIE=cookie)
    expected = {"/dashboard/": 302, "/api/v1/me/": 403, "/": 200}[path]
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")
    add("bad_inputs")
