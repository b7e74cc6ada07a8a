"""The office in a browser: a history file refused whole with its row errors, then
imported; a rule-set file checked with its line, imported, and compared."""

import pytest

from qualityaward.accounts.enums import Role
from qualityaward.applications.models import PastBan
from qualityaward.rulesets.files import version_as_yaml
from qualityaward.rulesets.services import preset_load

from ..applications.factories import credit_code
from ..applications.test_history import BANS, xlsx
from ..factories import TEST_PASSWORD, UserFactory
from .conftest import login, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_imports_history_and_a_rule_set_file(page, shot, tmp_path):
    UserFactory(username="office", roles=[Role.OFFICE])
    version = preset_load(name="erenhot-2021", actor="test").version
    login(page, "office", TEST_PASSWORD)

    bad = tmp_path / "bans.xlsx"
    bad.write_bytes(xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "", "弄虚作假", "文号")))
    page.goto(f"{page.base_url}/applications/history/")
    page.select_option("#id_kind", "bans")
    page.set_input_files("#id_file", str(bad))
    submit(page, "button[value=import]")
    assert page.locator("#history-errors li").all_inner_texts() == [
        "第2行：请填写禁止申报的截止日期或年限。"
    ]
    shot(page, "history-import-refused")
    assert not PastBan.objects.exists()
    good = tmp_path / "bans-good.xlsx"
    good.write_bytes(
        xlsx(BANS, (credit_code(1), "甲公司", "2022-03-01", "2027-03-01", "弄虚作假", "文号"))
    )
    page.select_option("#id_kind", "bans")
    page.set_input_files("#id_file", str(good))
    submit(page, "button[value=import]")
    assert "写入1条" in page.locator(".alert").first.inner_text()
    assert PastBan.objects.get().years == 5

    edited = tmp_path / "rules.yaml"
    text = version_as_yaml(version)
    edited.write_text(text.replace("    value: 10\n", "    value: ten\n", 1), encoding="utf-8")
    page.goto(f"{page.base_url}/rulesets/versions/{version.pk}/upload/")
    page.set_input_files("#id_file", str(edited))
    submit(page, "button[value=check]")
    problem = page.locator("#file-problems li").first.inner_text()
    assert problem.startswith("第") and "values.call_min_workdays.value" in problem
    shot(page, "ruleset-file-refused")
    edited.write_text(text.replace("    value: 10\n", "    value: 12\n", 1), encoding="utf-8")
    page.set_input_files("#id_file", str(edited))
    submit(page, "button[value=import]")
    submit(page, page.locator("a[href*='/diff/']", has_text="第1版"))  # compare with version 1
    row = page.locator("#diff-call_min_workdays").inner_text()
    assert row.index("不少于 10 个工作日") < row.index("不少于 12 个工作日")  # earlier first
    shot(page, "ruleset-diff")
