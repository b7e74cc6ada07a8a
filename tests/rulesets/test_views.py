import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.rulesets.models import RuleSet, RuleSetVersion
from qualityaward.rulesets.services import (
    ruleset_version_clone,
    ruleset_version_freeze,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.rulesets.urls")]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_office_sees_rule_sets_and_versions(office_client, preset):
    response = office_client.get(reverse("rulesets:index"), **EN)
    html = page(response)
    assert "二连浩特市市长质量奖" in html
    assert "2021-09-01 \u2013 2026-08-31" in html
    assert "expired" in html
    assert reverse("rulesets:version_detail", args=[preset.pk]) in html
    assert "GB/T 19580-2012" in html


def test_version_page_shows_every_value_with_its_source_in_chinese(office_client, preset):
    html = page(office_client.get(reverse("rulesets:version_detail", args=[preset.pk]), **ZH))
    assert (
        '<span class="qa-rule">不少于 10 个工作日<span class="qa-rule-source">'
        "\uff08第十四条\uff09</span></span>"
    ) in html
    assert "第十条第\uff08三\uff09项" in html
    assert "二政办发〔2021〕36号" in html  # noqa: RUF001
    assert "4.4.2 人力资源" in html


def test_version_page_in_english(office_client, preset):
    html = page(office_client.get(reverse("rulesets:version_detail", args=[preset.pk]), **EN))
    assert (
        '<span class="qa-rule">at least 30 working days<span class="qa-rule-source"> '
        "(Article 19)</span></span>"
    ) in html
    assert "Office's detailed rules (Article 8)" in html
    assert "200,000 yuan" in html
    assert "Clone as a new draft" in html


def test_expert_is_refused_every_rule_set_page(client, user_with_role, preset):
    client.force_login(user_with_role(Role.EXPERT))
    for url in (
        reverse("rulesets:index"),
        reverse("rulesets:version_detail", args=[preset.pk]),
        reverse("rulesets:framework_detail", args=[preset.framework_id]),
        reverse("rulesets:version_edit", args=[preset.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
    response = client.post(reverse("rulesets:version_clone", args=[preset.pk]))
    assert response.status_code == 403
    assert RuleSetVersion.objects.count() == 1


def test_supervisor_reads_without_action_buttons(client, user_with_role, preset):
    client.force_login(user_with_role(Role.SUPERVISOR))
    html = page(client.get(reverse("rulesets:version_detail", args=[preset.pk]), **EN))
    assert "at least 10 working days" in html
    assert "Clone as a new draft" not in html
    response = client.post(reverse("rulesets:version_clone", args=[preset.pk]))
    assert response.status_code == 403
    assert RuleSetVersion.objects.count() == 1


def test_clone_button_creates_a_draft_and_shows_it(office_client, preset):
    response = office_client.post(
        reverse("rulesets:version_clone", args=[preset.pk]), follow=True, **EN
    )
    clone = RuleSetVersion.objects.get(version=2)
    assert response.redirect_chain[-1][0] == reverse("rulesets:version_detail", args=[clone.pk])
    assert messages_of(response) == [
        "Version 2 created as a draft copy of version 1. Edit it, then activate it."
    ]
    assert clone.status == "draft"


def test_editing_a_frozen_version_in_the_ui_is_refused_with_a_message(office_client, preset):
    ruleset_version_freeze(version=preset, actor="test")
    url = reverse("rulesets:version_edit", args=[preset.pk]) + "?group=procedure"
    response = office_client.get(url, follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("rulesets:version_detail", args=[preset.pk])
    [message] = messages_of(response)
    assert message.startswith("Version 1 of Erenhot Mayor's Quality Award is frozen")
    response = office_client.post(
        url,
        {"call_min_workdays-value": "5", "call_min_workdays-article": "14"},
        follow=True,
        **EN,
    )
    assert messages_of(response)[0].startswith(
        "Version 1 of Erenhot Mayor's Quality Award is frozen"
    )
    assert RuleSetVersion.objects.get(pk=preset.pk).values["call_min_workdays"]["value"] == 10


def _procedure_post(version, **changes):
    data = {}
    for key in (
        "call_min_workdays",
        "qualification_review_max_workdays",
        "supplement_requests_max",
        "evaluation_max_workdays",
        "public_comment_min_workdays",
        "publicity_workdays",
    ):
        entry = version.values[key]
        data[f"{key}-value"] = str(entry["value"])
        data[f"{key}-article"] = str(entry["article"])
        data[f"{key}-clause"] = "" if entry["clause"] is None else str(entry["clause"])
        data[f"{key}-basis"] = entry["basis"]
        data[f"{key}-note"] = entry["note"]
    data.update(changes)
    return data


def test_edit_form_saves_a_group_of_values(office_client, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    url = reverse("rulesets:version_edit", args=[clone.pk]) + "?group=procedure"
    form_page = page(office_client.get(url, **EN))
    assert 'name="call_min_workdays-article" value="14"' in form_page
    response = office_client.post(
        url, _procedure_post(clone, **{"call_min_workdays-value": "12"}), follow=True, **EN
    )
    assert messages_of(response) == ["Saved."]
    stored = RuleSetVersion.objects.get(pk=clone.pk)
    assert stored.values["call_min_workdays"]["value"] == 12
    assert stored.values["call_min_workdays"]["article"] == 14
    assert (
        stored.values["qualification_review_max_workdays"]
        == preset.values["qualification_review_max_workdays"]
    )


def test_edit_form_shows_schema_errors_beside_the_field(office_client, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    stages = clone.values["stages"]["value"]
    stages[0]["weight"] = "0.6"
    url = reverse("rulesets:version_edit", args=[clone.pk]) + "?group=evaluation"
    data = {
        "stages-value": json.dumps(stages),
        "stages-article": "18",
        "stages-basis": "detailed_rules",
    }
    for key in (
        "consensus_spread_threshold",
        "experts_see_scores_before_consensus",
        "recusal_employment_years",
        "assignment_method",
        "expert_load_cap",
        "random_draw_max_pair_probability",
    ):
        entry = clone.values[key]
        value = entry["value"]
        data[f"{key}-value"] = str(value).lower() if isinstance(value, bool) else str(value)
        data[f"{key}-article"] = str(entry["article"])
        data[f"{key}-basis"] = entry["basis"]
    response = office_client.post(url, data, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "stages-value": ["The stage weights must add up to 1; they add up to 1.1."]
    }
    assert RuleSetVersion.objects.get(pk=clone.pk).values["stages"]["value"][0]["weight"] == "0.5"


def test_activate_button_reports_an_overlap(office_client, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    response = office_client.post(
        reverse("rulesets:version_activate", args=[clone.pk]), follow=True, **EN
    )
    [message] = messages_of(response)
    assert message.startswith("Its effective period (2021-09-01 to 2026-08-31) overlaps")
    assert RuleSetVersion.objects.get(pk=clone.pk).status == "draft"


def test_framework_page_shows_points_and_bands(office_client, preset):
    html = page(
        office_client.get(reverse("rulesets:framework_detail", args=[preset.framework_id]), **EN)
    )
    assert "4.7.5 Resource results" in html
    assert "90\u2013100%" in html
    assert "no significant gaps" in html
    assert "Levels · Trends · Comparisons · Integration" in html


def test_index_query_count_does_not_grow_with_versions(office_client, preset):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = office_client.get(reverse("rulesets:index"))
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        ruleset_version_clone(version=preset, actor="test")
    other = RuleSet.objects.create(
        code="xilingol-league",
        award_name_zh="锡林郭勒盟盟长质量奖",
        award_name_en="Xilingol League Quality Award",
        issuing_authority="锡林郭勒盟行政公署",
        jurisdiction="锡林郭勒盟",
    )
    RuleSetVersion.objects.create(
        rule_set=other,
        version=1,
        title="锡林郭勒盟盟长质量奖管理办法",
        effective_from=preset.effective_from,
        framework=preset.framework,
        values=preset.values,
    )
    assert queries() == few


def test_general_tab_changes_the_effective_period(office_client, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    url = reverse("rulesets:version_edit", args=[clone.pk])
    response = office_client.post(
        url,
        {
            "title": "二连浩特市市长质量奖评审办法（修订）",
            "document_number": "",
            "effective_from": "2026-09-01",
            "effective_to": "2026-08-01",
            "framework": str(preset.framework_id),
            "notes": "",
        },
        **EN,
    )
    assert response.context["form"].errors == {
        "effective_to": ["The period cannot end before it begins."]
    }
    response = office_client.post(
        url,
        {
            "title": "二连浩特市市长质量奖评审办法（修订）",
            "document_number": "",
            "effective_from": "2026-09-01",
            "effective_to": "",
            "framework": str(preset.framework_id),
            "notes": "",
        },
        follow=True,
        **EN,
    )
    assert messages_of(response) == ["Saved."]
    stored = RuleSetVersion.objects.get(pk=clone.pk)
    assert (str(stored.effective_from), stored.effective_to) == ("2026-09-01", None)
    assert stored.title == "二连浩特市市长质量奖评审办法（修订）"
