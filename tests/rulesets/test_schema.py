import copy
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from qualityaward.rulesets.presets import PRESET_DIR
from qualityaward.rulesets.schema import SCHEMA, Rules, RuleValuesInvalid, validate_values

KEYS = [
    "cycle_years",
    "quota_organisation",
    "quota_individual",
    "vacancy_allowed",
    "award_validity_years",
    "prize_organisation_yuan",
    "prize_individual_yuan",
    "prize_budget_year_offset",
    "call_min_workdays",
    "qualification_review_max_workdays",
    "supplement_requests_max",
    "evaluation_max_workdays",
    "public_comment_min_workdays",
    "publicity_workdays",
    "org_min_operating_years",
    "org_no_loss_years",
    "individual_min_quality_years",
    "winner_reapply_after_cycles",
    "lookback_years",
    "fraud_ban_years",
    "revocation_window_years",
    "fund_uses",
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
    "award_citation_requires_year",
]


def preset_values():
    data = json.loads((PRESET_DIR / "erenhot-2021.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data["version"]["values"])


def errors_of(values):
    with pytest.raises(RuleValuesInvalid) as error:
        validate_values(values)
    return error.value.errors


def test_schema_declares_exactly_the_agreed_keys():
    assert sorted(SCHEMA) == sorted(KEYS)


def test_preset_values_validate_unchanged():
    values = preset_values()
    cleaned = validate_values(values)
    assert cleaned["call_min_workdays"] == {
        "value": 10,
        "article": 14,
        "clause": None,
        "note": "",
        "basis": "measures",
    }
    assert cleaned["stages"]["value"][1]["weight"] == "0.3"


def test_unknown_key_is_refused():
    values = preset_values()
    values["call_max_workdays"] = {"value": 10, "article": 14}
    assert errors_of(values) == {
        "call_max_workdays": ["Unknown rule “call_max_workdays”: not in the rule set schema."]
    }


def test_missing_key_is_refused():
    values = preset_values()
    del values["publicity_workdays"]
    assert errors_of(values) == {"publicity_workdays": ["Missing: every rule needs a value."]}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("call_min_workdays", "ten", "Enter a whole number, not “ten”."),
        ("call_min_workdays", True, "Enter a whole number, not “True”."),
        ("publicity_workdays", -7, "Must be at least 1 (got -7)."),
        ("prize_organisation_yuan", -1, "Must not be negative (got -1)."),
        ("vacancy_allowed", "yes", "Enter true or false, not “yes”."),
        ("assignment_method", "lottery", "Choose one of optimal, random_draw, not “lottery”."),
        ("working_group_quorum_fraction", "3/2", "A share must be greater than 0 and at most 1."),
        ("random_draw_max_pair_probability", "0", "Must be greater than 0 and at most 1 (got 0)."),
        ("public_result_fields", ["total", "rank"], "The published results must show the name."),
    ],
)
def test_wrong_values_are_refused_with_a_clear_message(key, value, message):
    values = preset_values()
    values[key]["value"] = value
    assert errors_of(values) == {key: [message]}


def test_stage_weights_must_sum_to_1():
    values = preset_values()
    values["stages"]["value"][2]["weight"] = "0.3"
    assert errors_of(values) == {
        "stages": ["The stage weights must add up to 1; they add up to 1.1."]
    }


def test_stage_weights_given_as_floats_sum_exactly():
    values = preset_values()
    for stage, weight in zip(values["stages"]["value"], (0.1, 0.2, 0.7), strict=True):
        stage["weight"] = weight
    cleaned = validate_values(values)
    assert [s["weight"] for s in cleaned["stages"]["value"]] == ["0.1", "0.2", "0.7"]


def test_first_stage_cannot_have_a_threshold():
    values = preset_values()
    values["stages"]["value"][0]["advance_threshold"] = 400
    assert errors_of(values) == {
        "stages": ["The first stage cannot have a threshold to go on to it."]
    }


def test_trimmed_mean_needs_three_experts():
    values = preset_values()
    values["stages"]["value"][0]["panel_size"] = 2
    assert errors_of(values) == {
        "stages": ["Stage 1: a trimmed mean needs a panel of at least 3 experts."]
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"value": 10}, "Every value needs a “value” and the “article” it comes from."),
        (
            {"value": 10, "article": 0},
            "The article must be a whole number from 1 to 99 (got “0”).",
        ),
        (
            {"value": 10, "article": 14, "clause": "三"},
            "The clause must be empty or a whole number from 1 to 99 (got “三”).",
        ),
        ({"value": 10, "article": 14, "page": 3}, "Unknown field page."),
        ({"value": 10, "article": 14, "page": 3, "line": 2}, "Unknown fields line, page."),
    ],
)
def test_every_value_must_cite_its_article(entry, message):
    values = preset_values()
    values["call_min_workdays"] = entry
    assert errors_of(values) == {"call_min_workdays": [message]}


def test_unknown_fields_are_named_in_chinese_too():
    values = preset_values()
    values["call_min_workdays"] = {"value": 10, "article": 14, "page": 3, "line": 2}
    with translation.override("zh-hans"):
        assert errors_of(values) == {"call_min_workdays": ["未知字段 line, page。"]}


def test_no_quota_at_all_is_refused():
    values = preset_values()
    values["quota_organisation"]["value"] = 0
    values["quota_individual"]["value"] = 0
    assert errors_of(values) == {
        "quota_individual": ["At least one kind of award needs a quota above 0."]
    }


def test_error_message_names_the_rule_by_its_label():
    values = preset_values()
    values["call_min_workdays"]["value"] = 0
    with pytest.raises(RuleValuesInvalid) as error:
        validate_values(values)
    assert error.value.message == "The call for applications runs: Must be at least 1 (got 0)."


def test_error_message_in_chinese_joins_label_and_message_with_a_chinese_colon():
    values = preset_values()
    values["call_min_workdays"]["value"] = 0
    with translation.override("zh-hans"), pytest.raises(RuleValuesInvalid) as error:
        validate_values(values)
    label, _colon, message = error.value.message.partition("：")
    assert label and message
    assert ": " not in error.value.message


def test_typed_access_gives_value_article_and_source():
    rules = Rules(validate_values(preset_values()))
    rule = rules.call_min_workdays
    assert (rule.value, rule.article, rule.clause) == (10, 14, None)
    with translation.override("zh-hans"):
        assert rule.source == "第十四条"
        assert rules.org_no_loss_years.source == "第十条第\uff08三\uff09项"
    with translation.override("en"):
        assert rule.source == "Article 14"
        assert str(rule) == "at least 10 working days"
        assert rule.with_source() == "at least 10 working days (Article 14)"
        assert rules.org_no_loss_years.source == "Article 10(3)"
        assert str(rules.prize_organisation_yuan) == "200,000 yuan"
        assert str(rules.qualification_review_max_workdays) == "within 10 working days"


def test_typed_access_converts_lists_decimals_and_fractions():
    rules = Rules(validate_values(preset_values()))
    stages = rules.stages.value
    assert [s.code for s in stages] == ["document_review", "site_visit", "presentation"]
    assert [s.weight for s in stages] == [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")]
    assert rules.stage("site_visit").advance_threshold == 500
    assert rules.working_group_quorum_fraction.value == Fraction(2, 3)
    assert rules.random_draw_max_pair_probability.value == Decimal("0.5")
    assert [u.name_zh for u in rules.fund_uses.value] == [
        "质量持续改进",
        "创新质量攻关",
        "人员培训",
        "对质量工作优秀员工奖励",
        "实验室建设",
        "先进经验和成果宣传",
    ]


def test_unknown_rule_name_is_an_attribute_error():
    rules = Rules(validate_values(preset_values()))
    with pytest.raises(AttributeError, match="not a rule"):
        rules.call_max_workdays  # noqa: B018


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the English messages; tests/test_translations.py checks the Chinese."""
    with translation.override("en"):
        yield
