# ruff: noqa: RUF001 (Chinese document numbers)
"""The office's history import: files refused whole with errors by row and column, and
imported winners and bans taking part in eligibility exactly as native ones."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import HistoryKind, ListKind
from qualityaward.applications.history import HistoryFileError
from qualityaward.applications.models import HistoryImport, ListEntry, PastAward, PastBan
from qualityaward.applications.selectors.eligibility import eligibility_for
from qualityaward.applications.services.history import history_check, history_import
from qualityaward.core.models import AuditRecord
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.services import ruleset_version_clone, ruleset_version_update

from ..supervision.factories import award_for
from .factories import BanFactory, IndividualFactory, OrganisationFactory, credit_code, id_number

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)
WINNERS = ["统一社会信用代码", "身份证号码", "名称", "获奖年度", "奖项名称", "授奖日期", "表彰文号"]
BANS = ["统一社会信用代码", "名称", "禁止申报起始日期", "禁止申报截止日期", "原因", "决定文号"]
REVOCATIONS = ["统一社会信用代码", "名称", "获奖年度", "撤销日期", "撤销原因", "撤销决定文号"]
AWARD = "二连浩特市市长质量奖"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


def xlsx(header, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(header, *rows, encoding="utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def errors_of(kind, data) -> list[str]:
    with pytest.raises(HistoryFileError) as error:
        history_import(kind=kind, data=data, filename="f.xlsx", actor="test")
    return [str(problem) for problem in error.value.errors]


def nothing_written():
    return (
        HistoryImport.objects.count(),
        PastAward.objects.count(),
        PastBan.objects.count(),
        ListEntry.objects.count(),
    ) == (0, 0, 0, 0)


# --- good files ----------------------------------------------------------------------------


def test_winners_from_xlsx_are_recorded_with_one_audit_record(office):
    person = id_number(7)
    data = xlsx(
        WINNERS,
        (
            credit_code(1),
            None,
            "甲公司",
            2019,
            AWARD,
            datetime.datetime(2019, 12, 20),
            "二政发〔2019〕88号",
        ),
        (None, person, "王某", 2021, AWARD, "2021/12/30", None),
    )
    result = history_import(kind=HistoryKind.WINNERS, data=data, filename="w.xlsx", actor=office)
    assert (result.rows, result.created, result.unchanged) == (2, 2, 0)
    company = PastAward.objects.get(credit_code=credit_code(1))
    assert (company.award_year, company.awarded_on, company.document_number) == (
        2019,
        datetime.date(2019, 12, 20),
        "二政发〔2019〕88号",
    )
    someone = PastAward.objects.get(name="王某")
    assert someone.id_number_masked == person[:6] + "********" + person[-4:]
    assert person not in str(PastAward.objects.values_list().get(pk=someone.pk))
    record = AuditRecord.objects.get(action="applications.history_import")
    assert record.changes["rows"] == 2 and record.changes["created"] == 2
    again = history_import(kind=HistoryKind.WINNERS, data=data, filename="w.xlsx", actor=office)
    assert (again.created, again.unchanged, PastAward.objects.count()) == (0, 2, 2)


def test_english_headers_and_gb18030_csv_are_read():
    header = ["credit_code", "name", "from", "years", "reason", "decision_number"]
    data = csv_file(
        header,
        (credit_code(2), "乙公司", "2022-03-01", "5", "申报弄虚作假", "二政发〔2022〕3号"),
        encoding="gb18030",
    )
    history_import(kind=HistoryKind.BANS, data=data, actor="test")
    ban = PastBan.objects.get()
    assert (ban.started_on, ban.years, ban.ends_on) == (
        datetime.date(2022, 3, 1),
        5,
        datetime.date(2027, 3, 1),
    )


def test_revocation_marks_the_imported_award():
    history_import(
        kind=HistoryKind.WINNERS,
        data=xlsx(WINNERS, (credit_code(3), None, "丙公司", 2019, AWARD, "2019-12-20", "")),
        actor="test",
    )
    data = xlsx(
        REVOCATIONS,
        (credit_code(3), "丙公司", 2019, "2021-05-10", "重大质量事故", "二政发〔2021〕5号"),
    )
    history_import(kind=HistoryKind.REVOCATIONS, data=data, actor="test")
    award = PastAward.objects.get()
    assert (award.revoked_on, award.revocation_reference) == (
        datetime.date(2021, 5, 10),
        "二政发〔2021〕5号",
    )


def test_dishonesty_list_lands_in_the_a12_6_list():
    header = ["统一社会信用代码", "名称", "列入日期", "移出日期", "列入机关"]
    data = xlsx(
        header, (credit_code(4), "丁公司", "2024年3月1日", None, "二连浩特市市场监督管理局")
    )
    history_import(kind=HistoryKind.DISHONESTY, data=data, actor="test")
    entry = ListEntry.objects.get()
    assert (entry.kind, entry.credit_code, entry.listed_on) == (
        ListKind.SERIOUS_DISHONESTY,
        credit_code(4),
        datetime.date(2024, 3, 1),
    )


def test_check_writes_nothing_and_says_what_would_be_recorded():
    data = xlsx(BANS, (credit_code(5), "戊公司", "2022-03-01", "2027-03-01", "弄虚作假", "文号1"))
    plan = history_check(kind=HistoryKind.BANS, data=data)
    assert (len(plan.rows), plan.created, plan.unchanged) == (1, 1, 0)
    assert nothing_written()


# --- bad files are refused whole ------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_file_naming_row_and_column():
    data = xlsx(
        WINNERS,
        (credit_code(1), None, "甲公司", 2019, AWARD, "2019-12-20", ""),
        (credit_code(2)[:-1] + "0", None, "乙公司", 2019, AWARD, "2019-13-40", ""),
    )
    errors = errors_of(HistoryKind.WINNERS, data)
    assert errors[0].startswith("Row 3, column 统一社会信用代码 (A): The check character")
    assert errors[1] == "Row 3, column 授奖日期 (F): “2019-13-40” is not a date such as 2021-09-01."
    assert nothing_written()


def test_missing_columns_are_named():
    data = xlsx(
        ["统一社会信用代码", "名称", "获奖年度", "unknown"], (credit_code(1), "甲", 2019, "x")
    )
    [error] = errors_of(HistoryKind.WINNERS, data)
    assert "missing: 奖项名称、授奖日期" in error and "unknown: unknown" in error
    assert nothing_written()


def test_empty_cells_duplicates_and_identities_are_refused_per_row():
    data = xlsx(
        WINNERS,
        (credit_code(1), None, "甲公司", 2019, AWARD, "2019-12-20", ""),
        (credit_code(1), None, "甲公司", 2019, AWARD, "2019-12-21", ""),
        (None, None, "无名", 2019, AWARD, "2019-12-20", ""),
        (credit_code(2), None, "", 2019, AWARD, "2019-12-20", ""),
    )
    assert errors_of(HistoryKind.WINNERS, data) == [
        "Row 3: the same record as row 2.",
        "Row 4: give the credit code of an organisation or the identity number of a person.",
        "Row 5, column 名称 (C): empty.",
    ]
    assert nothing_written()


def test_ban_end_must_be_whole_years_after_its_start():
    data = xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "2026-12-31", "弄虚作假", "文号"))
    [error] = errors_of(HistoryKind.BANS, data)
    assert error.startswith("Row 2: the end date must fall a whole number of years")
    assert nothing_written()


def test_revocation_of_an_unknown_award_refuses_the_file():
    data = xlsx(REVOCATIONS, (credit_code(9), "庚公司", 2019, "2021-05-10", "事故", "文号"))
    assert errors_of(HistoryKind.REVOCATIONS, data) == [
        "Row 2: no past winner with this code or identity number in 2019: import the winners first."
    ]
    assert nothing_written()


def test_a_file_that_is_neither_xlsx_nor_text_is_refused():
    assert errors_of(HistoryKind.BANS, b"PK\x03\x04 broken") == [
        "The file is not a readable .xlsx workbook."
    ]
    assert errors_of(HistoryKind.BANS, b"\xff\xfe\x00\xd8") == [
        "The file is neither an .xlsx workbook nor text in UTF-8 or GB18030."
    ]


def test_the_command_refuses_a_bad_file_and_imports_a_good_one(tmp_path):
    bad = tmp_path / "bans.xlsx"
    bad.write_bytes(xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "", "弄虚作假", "文号")))
    with pytest.raises(CommandError, match="Row 2: give the end date or the number of years"):
        call_command("import_history", "bans", str(bad))
    assert nothing_written()
    good = tmp_path / "bans.csv"
    good.write_bytes(
        csv_file(BANS, (credit_code(1), "甲公司", "2022-03-01", "2027-03-01", "弄虚作假", "文号"))
    )
    out = io.StringIO()
    call_command("import_history", "bans", str(good), stdout=out)
    assert "Imported 1 rows: 1 recorded" in out.getvalue()
    assert PastBan.objects.get().years == 5


# --- imported records take part in eligibility ----------------------------------------------


@pytest.fixture
def cycle(open_cycle):
    return Cycle.objects.select_related("rule_set_version").get(pk=open_cycle.pk)


def finding(applicant, cycle, code):
    findings = eligibility_for(applicant=applicant, cycle=cycle, on=ON)
    return next(f for f in findings if f.code == code)


def test_imported_ban_refuses_like_a_native_ban(cycle):
    native = OrganisationFactory()
    BanFactory(applicant=native, started_on=datetime.date(2023, 3, 1), revocation_reference="文号")
    imported = OrganisationFactory()
    history_import(
        kind=HistoryKind.BANS,
        data=csv_file(
            ["统一社会信用代码", "名称", "禁止申报起始日期", "禁止申报年限", "原因", "决定文号"],
            (imported.credit_code, imported.name, "2023-03-01", "5", "弄虚作假", "文号"),
        ),
        actor="test",
    )
    for code in ("a28_fraud_ban", "a12_4_award_fraud"):
        ours, theirs = finding(native, cycle, code), finding(imported, cycle, code)
        assert theirs.passed is ours.passed is False
        assert theirs.message == ours.message
    assert (
        "no application until 2028-03-01 inclusive"
        in finding(imported, cycle, "a28_fraud_ban").message
    )


def test_imported_ban_of_a_person_counts_by_identity_number(cycle):
    person = IndividualFactory()
    header = ["身份证号码", "名称", "禁止申报起始日期", "禁止申报年限", "原因", "决定文号"]
    data = csv_file(header, (person.id_number, person.name, "2024-01-10", "5", "弄虚作假", "文号"))
    history_import(kind=HistoryKind.BANS, data=data, actor="test")
    assert finding(person, cycle, "a28_fraud_ban").passed is False


@pytest.fixture
def waiting_version(rule_version):
    """A version of the Erenhot rule set (a cycle every 2 years) whose winners sit out the
    next 3 cycles."""
    version = ruleset_version_clone(version=rule_version, actor="test")
    entry = {**version.values["winner_reapply_after_cycles"], "value": 3}
    return ruleset_version_update(
        version=version, actor="test", values={"winner_reapply_after_cycles": entry}
    )


def cycle_of(version, number: int, year: int) -> Cycle:
    return Cycle.objects.create(
        rule_set_version=version,
        number=number,
        name=f"第{number}届",
        start_date=datetime.date(year, 6, 1),
    )


def import_winner(organisation, year: int, document: str = "") -> None:
    row = (
        organisation.credit_code,
        None,
        organisation.name,
        year,
        AWARD,
        f"{year}-12-20",
        document,
    )
    history_import(kind=HistoryKind.WINNERS, data=xlsx(WINNERS, row), actor="test")


def test_imported_winner_waits_like_a_native_winner(waiting_version):
    """Won in 2023: the native winner in cycle 1 here, the imported one in the history.
    Cycles run every 2 years, so both sit out cycles 2 to 4 (2025 to 2029) and may apply
    in cycle 5 (2031)."""
    native = award_for(
        cycle_of(waiting_version, 1, 2023), awarded_on=datetime.date(2023, 12, 20)
    ).applicant
    imported = OrganisationFactory()
    import_winner(imported, 2023, "二政发〔2023〕9号")
    for number, year, passed in ((2, 2025, False), (4, 2029, False), (5, 2031, True)):
        cycle = cycle_of(waiting_version, number, year)
        ours = finding(native, cycle, "winner_reapply_wait")
        theirs = finding(imported, cycle, "winner_reapply_wait")
        assert (ours.passed, theirs.passed) == (passed, passed), year
    cycle = Cycle.objects.get(number=2)
    assert finding(native, cycle, "winner_reapply_wait").message.endswith(
        "may apply again from cycle 5 on."
    )
    theirs = finding(imported, cycle, "winner_reapply_wait").message
    assert theirs.startswith("Article 12: won the award on 2023-12-20 (二政发〔2023〕9号);")
    assert theirs.endswith("this is cycle 1 after the award.")


def test_revoked_imported_award_no_longer_makes_the_holder_wait(waiting_version):
    imported = OrganisationFactory()
    import_winner(imported, 2023)
    cycle = cycle_of(waiting_version, 2, 2025)
    assert finding(imported, cycle, "winner_reapply_wait").passed is False
    history_import(
        kind=HistoryKind.REVOCATIONS,
        data=xlsx(
            REVOCATIONS, (imported.credit_code, imported.name, 2023, "2024-01-05", "事故", "文号")
        ),
        actor="test",
    )
    assert finding(imported, cycle, "winner_reapply_wait").passed is True


# --- the office's page ----------------------------------------------------------------------


def test_office_page_lists_errors_and_writes_nothing(client, office):
    client.force_login(office)
    data = xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "", "弄虚作假", "文号"))
    response = client.post(
        reverse("applications:history"),
        {"kind": "bans", "action": "import", "file": SimpleUploadedFile("b.xlsx", data)},
    )
    assert response.status_code == 400
    assert "第2行：请填写禁止申报的截止日期或年限。" in response.content.decode()  # Chinese first
    assert nothing_written()


def test_office_page_checks_then_imports(client, office):
    client.force_login(office)
    data = xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "2027-03-01", "弄虚作假", "文号"))
    url = reverse("applications:history")
    checked = client.post(
        url, {"kind": "bans", "action": "check", "file": SimpleUploadedFile("b.xlsx", data)}
    )
    assert "文件无误：共1行，1条将写入，0条已有记录。" in checked.content.decode()
    assert nothing_written()
    client.post(
        url, {"kind": "bans", "action": "import", "file": SimpleUploadedFile("b.xlsx", data)}
    )
    assert PastBan.objects.get().decision_number == "文号"


def test_templates_carry_the_chinese_headers(client, office):
    client.force_login(office)
    response = client.get(reverse("applications:history_template", args=["winners", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == WINNERS
    response = client.get(reverse("applications:history_template", args=["bans", "csv"]))
    assert (
        response.content.decode("utf-8-sig")
        .splitlines()[0]
        .startswith("统一社会信用代码,身份证号码,名称,禁止申报起始日期")
    )
