"""Refusals of the cycle's guards say which rule, which date and what to do first."""

from datetime import date

import pytest

from qualityaward.applications.services.calls import call_draft, call_publish
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.services import stage_end, stage_start

pytestmark = pytest.mark.django_db


def _refusal(action, **kwargs) -> QualityAwardError:
    with pytest.raises(QualityAwardError) as refusal:
        action(**kwargs)
    return refusal.value


def test_a_stage_before_its_previous_one_names_the_article_and_the_step_first(cycle):
    error = _refusal(
        stage_start, cycle=cycle, code=StageCode.EVALUATION, on=date(2026, 10, 20), actor="t"
    )
    assert "第十八条" in error.message
    assert "请先在本届评审页登记资格审查阶段的结束日期" in error.message


def test_ending_a_call_too_early_names_the_article_and_the_first_allowed_day(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="t")
    error = _refusal(stage_end, cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 23), actor="t")
    assert "第十四条" in error.message
    assert "最早于2026年9月24日结束" in error.message
    assert "请在该日或之后登记结束" in error.message


def test_a_stage_started_twice_says_when_and_what_comes_next(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="t")
    error = _refusal(stage_start, cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 15), actor="t")
    assert "2026年9月14日" in error.message
    assert "下一步" in error.message


def test_the_call_can_be_published_while_its_stage_is_already_open(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="t")
    call = call_draft(cycle=cycle, actor="t", deadline=date(2026, 10, 30), today=date(2026, 9, 15))
    call_publish(call=call, actor="t", on=date(2026, 9, 15))
    call.refresh_from_db()
    assert call.is_published
    assert cycle.stages.get(code=StageCode.CALL).started_on == date(2026, 9, 14)


def test_the_call_cannot_be_published_once_its_stage_ended_and_says_what_to_do(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="t")
    stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 30), actor="t")
    call = call_draft(cycle=cycle, actor="t", deadline=date(2026, 10, 30), today=date(2026, 10, 8))
    error = _refusal(call_publish, call=call, actor="t", on=date(2026, 10, 8))
    assert error.code == "call_stage_ended"
    assert "2026年9月30日" in error.message
    assert "第十四条" in error.message
    assert "请开启新一届评审" in error.message


def test_a_too_early_deadline_says_which_deadline_to_set(cycle):
    call = call_draft(cycle=cycle, actor="t", deadline=date(2026, 9, 20), today=date(2026, 9, 14))
    error = _refusal(call_publish, call=call, actor="t", on=date(2026, 9, 14))
    assert "第十四条" in error.message
    assert "请将截止日期改为 2026-09-24 或之后" in error.message


def test_the_call_text_of_a_demo_version_quotes_the_measures_title_only(cycle):
    assert cycle.rule_set_version.title.startswith("演示版本")
    call = call_draft(cycle=cycle, actor="t", deadline=date(2026, 10, 30), today=date(2026, 9, 14))
    assert "演示版本" not in call.text
    assert "二连浩特市市长质量奖评审办法" in call.text
