"""A rule set version as a YAML file: export, check (errors name the key path and the
line), import as a new draft, and the difference of two versions."""

import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation
from jsonschema import Draft202012Validator

from qualityaward.core.models import AuditRecord
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.files import (
    RuleFileInvalid,
    check_file,
    file_json_schema,
    version_as_yaml,
    versions_diff,
)
from qualityaward.rulesets.models import RuleSetVersion
from qualityaward.rulesets.schema import SCHEMA
from qualityaward.rulesets.services import ruleset_version_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def exported(preset) -> str:
    return version_as_yaml(preset)


def problems_of(text) -> list[str]:
    with pytest.raises(RuleFileInvalid) as error:
        check_file(text)
    return [str(problem) for problem in error.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_export_has_a_header_schema_order_and_each_article(preset):
    text = exported(preset)
    assert text.startswith("# 二连浩特市市长质量奖 · erenhot-mayor · version 1 (Active)")
    keys = [
        line.strip()[:-1]
        for line in text.splitlines()
        if line.startswith("  ") and not line.startswith("   ") and not line.strip().startswith("#")
    ]
    assert keys == list(SCHEMA)
    call_line = line_of(text, "call_min_workdays:")
    assert text.splitlines()[call_line - 2] == "  # The call for applications runs · Article 14"
    assert yaml.safe_load(text)["values"]["call_min_workdays"]["value"] == 10


def test_exported_file_is_valid_against_the_schema_and_round_trips(preset):
    text = exported(preset)
    data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 (strings only, for the form)
    assert data["rule_set"] == "erenhot-mayor"
    checked = check_file(text)
    assert checked.values == preset.values
    assert checked.general["effective_from"] == preset.effective_from


def test_version_recorded_before_a_key_with_a_default_exports_and_checks(preset):
    values = {k: v for k, v in preset.values.items() if k != "winner_reapply_after_cycles"}
    RuleSetVersion.objects.filter(pk=preset.pk).update(values=values)
    text = exported(RuleSetVersion.objects.get(pk=preset.pk))
    assert "winner_reapply_after_cycles" not in text
    default = dict(SCHEMA["winner_reapply_after_cycles"].default)
    assert check_file(text).values == {**values, "winner_reapply_after_cycles": default}


def test_json_schema_is_a_valid_schema_naming_every_key():
    schema = file_json_schema()
    Draft202012Validator.check_schema(schema)
    values = schema["properties"]["values"]
    assert set(values["properties"]) == set(SCHEMA)
    # A key with a default may be left out, as an export of a version older than it is.
    assert set(values["required"]) == {name for name, key in SCHEMA.items() if key.default is None}
    assert "winner_reapply_after_cycles" not in values["required"]


def test_wrong_type_names_the_key_path_and_line(preset):
    text = exported(preset).replace("    value: 10\n", "    value: ten\n", 1)
    line = line_of(text, "value: ten")
    assert problems_of(text) == [
        f'line {line}, values.call_min_workdays.value: "ten" is not a whole number.'
    ]


def test_a_nested_error_points_at_the_stage_line(preset):
    text = exported(preset).replace("panel_size: 3", "panel_size: 0", 1)
    line = line_of(text, "panel_size: 0")
    [problem] = problems_of(text)
    assert problem == f"line {line}, values.stages.value.1.panel_size: 0 is less than 1."


def test_schema_rules_beyond_types_are_reported_with_their_line(preset):
    text = exported(preset).replace("weight: '0.5'", "weight: '0.6'", 1)
    line = line_of(text, "  stages:")
    assert problems_of(text) == [
        f"line {line}, values.stages: The stage weights must add up to 1; they add up to 1.1."
    ]


def test_missing_unknown_keys_and_unknown_framework(preset):
    text = exported(preset).replace("framework: gbt19580-2012", "framework: nope")
    text = text.replace("  lookback_years:", "  lookback_yaers:")
    problems = problems_of(text)
    assert (
        f"line {line_of(text, 'framework: nope')}, framework: no scoring framework" in problems[-1]
    )
    assert any(
        p == f"line {line_of(text, 'values:')}, values: missing: lookback_years." for p in problems
    )
    assert any(
        p == f"line {line_of(text, 'values:')}, values: unknown: lookback_yaers." for p in problems
    )


def test_broken_yaml_names_its_line(preset):
    text = exported(preset).replace("    article: 14\n", "    article: [14\n", 1)
    [problem] = problems_of(text)
    assert problem.startswith("line ") and "not valid YAML" in problem


def test_import_makes_a_new_audited_draft_and_leaves_the_active_version(preset):
    text = exported(preset).replace("    value: 10\n", "    value: 12\n", 1)
    version = ruleset_version_import(text=text, actor="test")
    assert (version.version, version.status) == (2, VersionStatus.DRAFT)
    assert version.values["call_min_workdays"]["value"] == 12
    preset.refresh_from_db()
    assert (preset.status, preset.values["call_min_workdays"]["value"]) == ("active", 10)
    assert AuditRecord.objects.filter(action="rulesets.version_import").count() == 1


def test_invalid_file_writes_nothing(preset):
    text = exported(preset).replace("    value: 10\n", "    value: -1\n", 1)
    with pytest.raises(RuleFileInvalid):
        ruleset_version_import(text=text, actor="test")
    assert RuleSetVersion.objects.count() == 1


def test_diff_lists_changed_added_and_removed_keys_with_articles(preset):
    text = exported(preset).replace("    value: 10\n", "    value: 12\n", 1)
    changed = ruleset_version_import(text=text, actor="test")
    changed.title = "新标题"
    del changed.values["lookback_years"]
    changed.save()
    changes = {c.key: c for c in versions_diff(preset, changed)}
    assert set(changes) == {"title", "call_min_workdays", "lookback_years"}
    call = changes["call_min_workdays"]
    assert (call.change, call.old_source, call.new_source) == (
        "changed",
        "Article 14",
        "Article 14",
    )
    assert "10" in call.old and "12" in call.new
    assert changes["lookback_years"].change == "removed"
    reverse = {c.key: c.change for c in versions_diff(changed, preset)}
    assert reverse["lookback_years"] == "added"


def test_commands_export_validate_import_and_diff(preset, tmp_path):
    out = io.StringIO()
    call_command("ruleset", "export", "erenhot-mayor", stdout=out)
    path = tmp_path / "rules.yaml"
    path.write_text(
        out.getvalue().replace("    value: 10\n", "    value: 15\n", 1), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("ruleset", "validate", str(path), stdout=out)
    assert "valid" in out.getvalue()
    assert RuleSetVersion.objects.count() == 1
    call_command("ruleset", "import", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("ruleset", "diff", "erenhot-mayor", "1", "2", stdout=out)
    assert (
        "call_min_workdays: at least 10 working days (Article 14) → "
        "at least 15 working days (Article 14)" in out.getvalue()
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        path.read_text(encoding="utf-8").replace("value: 15", "value: x", 1), encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"line \d+, values.call_min_workdays.value"):
        call_command("ruleset", "validate", str(bad))
    out = io.StringIO()
    call_command("ruleset", "schema", stdout=out)
    assert json.loads(out.getvalue())["properties"]["values"]["properties"]["stages"]


# --- the office's pages -------------------------------------------------------------------


@pytest.mark.urls("tests.rulesets.urls")
def test_office_downloads_checks_and_imports_a_file(office_client, preset):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = office_client.get(reverse("rulesets:version_export", args=[preset.pk]))
    assert response["Content-Disposition"].endswith('erenhot-mayor-v1.yaml"')
    text = response.content.decode()
    assert "call_min_workdays:" in text
    url = reverse("rulesets:version_upload", args=[preset.pk])
    bad = text.replace("    value: 10\n", "    value: ten\n", 1)
    response = office_client.post(
        url, {"action": "import", "file": SimpleUploadedFile("r.yaml", bad.encode())}
    )
    line = line_of(bad, "value: ten")
    assert response.status_code == 400
    assert f"第{line}行，values.call_min_workdays.value" in response.content.decode()
    assert RuleSetVersion.objects.count() == 1
    good = text.replace("    value: 10\n", "    value: 12\n", 1)
    office_client.post(
        url, {"action": "import", "file": SimpleUploadedFile("r.yaml", good.encode())}
    )
    new = RuleSetVersion.objects.get(version=2)
    assert new.status == VersionStatus.DRAFT
    response = office_client.get(reverse("rulesets:version_diff", args=[preset.pk, new.pk]))
    row = response.content.decode().split('id="diff-call_min_workdays"')[1].split("</tr>")[0]
    assert "不少于 10 个工作日" in row and "不少于 12 个工作日" in row  # the Chinese interface
    assert row.count("第十四条") == 2


@pytest.mark.urls("tests.rulesets.urls")
def test_supervisor_may_not_download_or_import(client, user_with_role, preset):
    from django.urls import reverse

    from qualityaward.accounts.enums import Role

    client.force_login(user_with_role(Role.SUPERVISOR))
    assert client.get(reverse("rulesets:version_export", args=[preset.pk])).status_code == 403
    assert client.get(reverse("rulesets:version_upload", args=[preset.pk])).status_code == 403


@pytest.mark.urls("tests.rulesets.urls")
def test_a_file_of_another_rule_set_is_refused_on_this_ones_page(office_client, preset):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from qualityaward.rulesets.models import RuleSet

    RuleSet.objects.create(
        code="xilingol-league",
        award_name_zh="锡林郭勒盟盟长质量奖",
        award_name_en="Xilingol League Quality Award",
        issuing_authority="锡林郭勒盟行政公署",
        jurisdiction="锡林郭勒盟",
    )
    text = exported(preset).replace("rule_set: erenhot-mayor", "rule_set: xilingol-league")
    response = office_client.post(
        reverse("rulesets:version_upload", args=[preset.pk]),
        {"action": "import", "file": SimpleUploadedFile("r.yaml", text.encode())},
    )
    assert "该文件属于规则集xilingol-league，而不是本规则集。" in response.content.decode()
    assert RuleSetVersion.objects.count() == 1
