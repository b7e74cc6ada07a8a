import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from qualityaward.core.models import AuditRecord
from qualityaward.rulesets.models import (
    FrameworkCategory,
    FrameworkItem,
    RuleSet,
    RuleSetVersion,
    ScoringFramework,
)
from qualityaward.rulesets.schema import SCHEMA

pytestmark = pytest.mark.django_db

EXPECTED = {
    "cycle_years": (2, 3, None),
    "quota_organisation": (1, 3, None),
    "quota_individual": (1, 3, None),
    "vacancy_allowed": (True, 3, None),
    "award_validity_years": (3, 3, None),
    "prize_organisation_yuan": (200000, 23, None),
    "prize_individual_yuan": (0, 23, None),
    "prize_budget_year_offset": (1, 5, None),
    "call_min_workdays": (10, 14, None),
    "qualification_review_max_workdays": (10, 16, None),
    "supplement_requests_max": (1, 16, None),
    "evaluation_max_workdays": (20, 18, None),
    "public_comment_min_workdays": (30, 19, None),
    "publicity_workdays": (7, 22, None),
    "org_min_operating_years": (3, 10, 1),
    "org_no_loss_years": (3, 10, 3),
    "individual_min_quality_years": (5, 11, 1),
    "winner_reapply_after_cycles": (0, 12, None),
    "lookback_years": (3, 12, None),
    "fraud_ban_years": (5, 28, None),
    "revocation_window_years": (3, 29, None),
    "recusal_employment_years": (3, 25, None),
    "consensus_spread_threshold": (20, 13, None),
    "experts_see_scores_before_consensus": (False, 18, None),
    "assignment_method": ("optimal", 25, None),
    "expert_load_cap": (10, 18, None),
    "public_result_fields": (["name", "total", "rank"], 19, None),
    "comment_contact_required": (True, 19, None),
    "working_group_quorum_fraction": ("2/3", 21, None),
    "award_citation_requires_year": (True, 32, None),
}


def load(capsys):
    call_command("load_preset", "erenhot-2021")
    return capsys.readouterr().out


def counts():
    return (
        ScoringFramework.objects.count(),
        FrameworkCategory.objects.count(),
        FrameworkItem.objects.count(),
        RuleSet.objects.count(),
        RuleSetVersion.objects.count(),
        AuditRecord.objects.count(),
    )


def test_load_preset_loads_framework_rule_set_and_version(capsys):
    out = load(capsys)
    assert "Loaded GB/T 19580-2012 卓越绩效评价准则" in out
    version = RuleSetVersion.objects.get()
    assert version.rule_set.code == "erenhot-mayor"
    assert version.rule_set.award_name_zh == "二连浩特市市长质量奖"
    assert version.version == 1
    assert version.document_number == "二政办发〔2021〕36号"  # noqa: RUF001
    assert version.effective_from == datetime.date(2021, 9, 1)
    assert version.effective_to == datetime.date(2026, 8, 31)
    assert version.status == "active"
    assert version.frozen_at is None
    assert version.is_demo is False
    assert version.framework.code == "gbt19580-2012"


def test_load_preset_twice_changes_nothing(capsys):
    load(capsys)
    before = counts()
    values_before = RuleSetVersion.objects.get().values
    out = load(capsys)
    assert out.strip() == "Preset erenhot-2021 is already loaded; nothing changed."
    assert counts() == before
    assert RuleSetVersion.objects.get().values == values_before


def test_load_preset_refuses_to_overwrite_a_changed_version(capsys):
    load(capsys)
    version = RuleSetVersion.objects.get()
    version.values["call_min_workdays"]["value"] = 15
    version.save()
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"differs from the preset erenhot-2021 \(values\)"),
    ):
        load(capsys)
    assert RuleSetVersion.objects.get().values["call_min_workdays"]["value"] == 15


def test_load_preset_unknown_name_lists_the_presets():
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"No preset named “hohhot”\. Available: erenhot-2021"),
    ):
        call_command("load_preset", "hohhot")


def test_preset_values_each_cite_an_article_of_the_measures(preset):
    assert set(preset.values) == set(SCHEMA)
    for key, entry in preset.values.items():
        assert isinstance(entry["article"], int), key
        assert 1 <= entry["article"] <= 34, key


def test_preset_values_are_those_of_the_measures(preset):
    for key, (value, article, clause) in EXPECTED.items():
        entry = preset.values[key]
        assert (entry["value"], entry["article"], entry["clause"]) == (value, article, clause), key


def test_preset_stages_and_fund_uses(preset):
    stages = preset.values["stages"]
    assert stages["article"] == 18
    assert stages["basis"] == "detailed_rules"
    assert [
        (s["code"], s["weight"], s["panel_size"], s["advance_threshold"]) for s in stages["value"]
    ] == [
        ("document_review", "0.5", 5, None),
        ("site_visit", "0.3", 3, 500),
        ("presentation", "0.2", 5, None),
    ]
    uses = preset.values["fund_uses"]
    assert uses["article"] == 24
    assert len(uses["value"]) == 6


def test_values_the_measures_leave_open_are_marked_as_detailed_rules(preset):
    marked = {key for key, entry in preset.values.items() if entry["basis"] == "detailed_rules"}
    assert marked == {
        "stages",
        "consensus_spread_threshold",
        "experts_see_scores_before_consensus",
        "recusal_employment_years",
        "assignment_method",
        "expert_load_cap",
        "random_draw_max_pair_probability",
        "public_result_fields",
        "comment_contact_required",
        "working_group_quorum_fraction",
    }
