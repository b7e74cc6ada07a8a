import datetime

import pytest
from django.utils import translation

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.rulesets.models import RuleSetVersion
from qualityaward.rulesets.schema import RuleValuesInvalid
from qualityaward.rulesets.selectors import (
    version_check_in_effect,
    version_in_effect,
    version_in_effect_problem,
)
from qualityaward.rulesets.services import (
    demo_version_create,
    ruleset_version_activate,
    ruleset_version_clone,
    ruleset_version_freeze,
    ruleset_version_retire,
    ruleset_version_update,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_clone_makes_a_draft_with_the_next_number_and_the_same_values(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    assert (clone.version, clone.status, clone.frozen_at) == (2, "draft", None)
    assert clone.values == preset.values
    assert clone.created_by == office
    record = AuditRecord.objects.get(action="rulesets.version_clone")
    assert record.changes == {"from_version": 1, "from_id": preset.pk, "version": 2}


def test_clone_edit_activate(preset, office):
    ruleset_version_retire(version=preset, actor=office)
    clone = ruleset_version_clone(version=preset, actor=office)
    clone = ruleset_version_update(
        version=clone,
        actor=office,
        title="二连浩特市市长质量奖评审办法（2026年修订）",
        effective_from=datetime.date(2026, 9, 1),
        effective_to=None,
        values={"call_min_workdays": {"value": 15, "article": 14, "clause": None}},
    )
    stored = RuleSetVersion.objects.get(pk=clone.pk)
    assert stored.values["call_min_workdays"] == {
        "value": 15,
        "article": 14,
        "clause": None,
        "note": "",
        "basis": "measures",
    }
    assert stored.effective_to is None
    assert stored.rules.call_min_workdays.value == 15
    record = AuditRecord.objects.get(action="rulesets.version_update")
    assert record.changes["values"]["call_min_workdays"]["old"]["value"] == 10
    assert record.changes["effective_from"] == ["2021-09-01", "2026-09-01"]
    active = ruleset_version_activate(version=stored, actor=office)
    assert RuleSetVersion.objects.get(pk=active.pk).status == "active"
    assert version_in_effect(rule_set=preset.rule_set, on=TODAY) == active
    assert version_in_effect(rule_set=preset.rule_set, on=datetime.date(2023, 1, 1)) is None


def test_editing_a_frozen_version_is_refused_and_nothing_changes(preset, office):
    ruleset_version_freeze(version=preset, actor=office)
    before = RuleSetVersion.objects.get(pk=preset.pk)
    with pytest.raises(QualityAwardError) as error:
        ruleset_version_update(
            version=preset,
            actor=office,
            title="changed",
            values={"call_min_workdays": {"value": 5, "article": 14}},
        )
    assert error.value.code == "ruleset_frozen"
    assert error.value.message.startswith(
        "Version 1 of Erenhot Mayor's Quality Award is frozen: a cycle was opened under it on "
    )
    after = RuleSetVersion.objects.get(pk=preset.pk)
    assert (after.title, after.values, after.updated_at) == (
        before.title,
        before.values,
        before.updated_at,
    )
    assert not AuditRecord.objects.filter(action="rulesets.version_update").exists()


def test_editing_an_active_version_is_refused(preset, office):
    with pytest.raises(QualityAwardError) as error:
        ruleset_version_update(version=preset, actor=office, title="changed")
    assert error.value.message == (
        "Version 1 of Erenhot Mayor's Quality Award is active: only a draft can be edited. "
        "Clone it to prepare a new version."
    )
    assert RuleSetVersion.objects.get(pk=preset.pk).title == "二连浩特市市长质量奖评审办法"


def test_update_with_invalid_values_is_refused_with_errors_per_key(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    with pytest.raises(RuleValuesInvalid) as error:
        ruleset_version_update(
            version=clone,
            actor=office,
            values={"publicity_workdays": {"value": -7, "article": 22}},
        )
    assert error.value.errors == {"publicity_workdays": ["Must be at least 1 (got -7)."]}
    assert RuleSetVersion.objects.get(pk=clone.pk).values["publicity_workdays"]["value"] == 7


def test_update_refuses_a_period_that_ends_before_it_begins(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    with pytest.raises(QualityAwardError, match=r"ends \(2021-08-01\) before it begins"):
        ruleset_version_update(version=clone, actor=office, effective_to=datetime.date(2021, 8, 1))


def test_threshold_above_the_framework_total_is_refused(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    stages = clone.values["stages"]
    stages["value"][1]["advance_threshold"] = 1000
    ruleset_version_update(version=clone, actor=office, values={"stages": stages})
    stages["value"][1]["advance_threshold"] = 1001
    with pytest.raises(RuleValuesInvalid):
        ruleset_version_update(version=clone, actor=office, values={"stages": stages})


def test_activating_a_version_that_overlaps_an_active_one_is_refused(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    ruleset_version_update(
        version=clone,
        actor=office,
        effective_from=datetime.date(2026, 1, 1),
        effective_to=datetime.date(2030, 12, 31),
    )
    with pytest.raises(QualityAwardError) as error:
        ruleset_version_activate(version=clone, actor=office)
    assert error.value.message == (
        "Its effective period (2026-01-01 to 2030-12-31) overlaps that of version 1 "
        "(2021-09-01 to 2026-08-31), which is active. Change the period or retire version 1 first."
    )
    assert RuleSetVersion.objects.get(pk=clone.pk).status == "draft"


def test_activating_an_active_version_is_refused(preset, office):
    with pytest.raises(QualityAwardError, match="only a draft can be activated"):
        ruleset_version_activate(version=preset, actor=office)


def test_freeze_is_idempotent(preset, office):
    frozen = ruleset_version_freeze(version=preset, actor=office)
    again = ruleset_version_freeze(version=preset, actor=office)
    assert frozen.frozen_at is not None
    assert again.frozen_at == frozen.frozen_at
    assert AuditRecord.objects.filter(action="rulesets.version_freeze").count() == 1


def test_a_draft_cannot_be_frozen(preset, office):
    clone = ruleset_version_clone(version=preset, actor=office)
    with pytest.raises(QualityAwardError, match="is a draft: activate it"):
        ruleset_version_freeze(version=clone, actor=office)
    assert RuleSetVersion.objects.get(pk=clone.pk).frozen_at is None


def test_the_2021_preset_has_expired_by_now(preset):
    assert preset.is_in_effect(datetime.date(2026, 8, 31))
    assert not preset.is_in_effect(TODAY)
    assert version_in_effect(rule_set=preset.rule_set, on=TODAY) is None
    assert version_in_effect_problem(version=preset, on=TODAY) == (
        "Version 1 of Erenhot Mayor's Quality Award (二政办发〔2021〕36号) was in effect "  # noqa: RUF001
        "until 2026-08-31 and has expired on 2026-11-25. Record and activate a new version of "
        "the rule set first (clone it on the rule set page)."
    )
    with pytest.raises(QualityAwardError) as error:
        version_check_in_effect(version=preset, on=TODAY)
    assert error.value.code == "ruleset_not_in_effect"
    assert version_in_effect_problem(version=preset, on=datetime.date(2021, 8, 31)) == (
        "Version 1 of Erenhot Mayor's Quality Award (二政办发〔2021〕36号) takes effect on "  # noqa: RUF001
        "2021-09-01, after 2021-08-31."
    )
    assert version_in_effect_problem(version=preset, on=datetime.date(2024, 1, 1)) is None


def test_demo_version_is_a_labelled_active_clone_in_effect_now(db):
    demo = demo_version_create(actor="demo")
    assert demo.is_demo is True
    assert demo.title == "演示版本\uff08非正式\uff09二连浩特市市长质量奖评审办法"
    assert (demo.status, demo.version) == ("active", 2)
    assert demo.effective_from == datetime.date(2026, 9, 1)
    assert version_in_effect(rule_set=demo.rule_set, on=TODAY) == demo
    preset = RuleSetVersion.objects.get(version=1)
    assert demo.values == preset.values
    assert preset.is_demo is False
    assert demo_version_create(actor="demo") == demo
    assert RuleSetVersion.objects.count() == 2
