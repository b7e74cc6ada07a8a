import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from qualityaward.accounts.enums import Role
from qualityaward.rulesets.api import api_urlpatterns
from qualityaward.rulesets.schema import SCHEMA
from qualityaward.rulesets.services import ruleset_version_clone

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.rulesets.urls")]


def test_version_detail_returns_every_value_with_its_article(office_client, preset):
    response = office_client.get(f"/api/v1/rulesets/{preset.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    data = response.json()
    assert data["rule_set"]["code"] == "erenhot-mayor"
    assert data["document_number"] == "二政办发〔2021〕36号"  # noqa: RUF001
    assert (data["effective_from"], data["effective_to"]) == ("2021-09-01", "2026-08-31")
    assert data["framework"] == "gbt19580-2012"
    assert set(data["values"]) == set(SCHEMA)
    assert data["values"]["call_min_workdays"] == {
        "value": 10,
        "article": 14,
        "clause": None,
        "source": "第十四条",
        "basis": "measures",
        "note": "",
        "label": "申报公告期限",
        "display": "不少于 10 个工作日",
        "unit": "workdays",
    }
    assert data["values"]["org_no_loss_years"]["clause"] == 3
    assert data["values"]["stages"]["value"][1] == {
        "code": "site_visit",
        "name_zh": "现场评审",
        "name_en": "Site visit",
        "weight": "0.3",
        "panel_size": 3,
        "aggregation": "mean",
        "advance_threshold": 500,
    }
    for key, entry in data["values"].items():
        assert 1 <= entry["article"] <= 34, key


def test_version_list_filters_by_date_in_effect(office_client, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    everything = office_client.get("/api/v1/rulesets/").json()
    assert [v["version"] for v in everything["results"]] == [2, 1]
    in_2024 = office_client.get("/api/v1/rulesets/?in_effect_on=2024-05-01").json()
    assert [v["id"] for v in in_2024["results"]] == [preset.pk]
    now = office_client.get("/api/v1/rulesets/?in_effect_on=2026-11-25").json()
    assert now["results"] == []
    bad = office_client.get("/api/v1/rulesets/?in_effect_on=yesterday", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad.json() == {"in_effect_on": "Enter a date as YYYY-MM-DD."}
    assert clone.status == "draft"


def test_drafts_are_hidden_from_users_who_do_not_run_the_award(client, user_with_role, preset):
    clone = ruleset_version_clone(version=preset, actor="test")
    client.force_login(user_with_role(Role.APPLICANT))
    listed = client.get("/api/v1/rulesets/").json()
    assert [v["id"] for v in listed["results"]] == [preset.pk]
    assert client.get(f"/api/v1/rulesets/{clone.pk}/").status_code == 404


def test_api_requires_authentication(client, preset):
    response = client.get(f"/api/v1/rulesets/{preset.pk}/")
    assert response.status_code in (401, 403)
    assert "values" not in response.json()


def test_framework_endpoint_gives_categories_items_and_bands(office_client, preset):
    data = office_client.get("/api/v1/frameworks/gbt19580-2012/").json()
    assert data["total_points"] == 1000
    assert [c["code"] for c in data["categories"]] == [
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "4.6",
        "4.7",
    ]
    assert data["categories"][0]["items"][0] == {
        "code": "4.1.2",
        "name_zh": "高层领导的作用",
        "name_en": "Role of senior leaders",
        "points": 50,
    }
    assert data["bands"]["process"]["bands"][5]["min"] == 90
    assert office_client.get("/api/v1/frameworks/efqm-2025/").status_code == 404


def test_openapi_schema_describes_every_rule():
    with translation.override("en"):
        schema = SchemaGenerator(patterns=api_urlpatterns).get_schema(request=None, public=True)
    assert set(schema["paths"]) == {
        "/v1/rulesets/",
        "/v1/rulesets/{id}/",
        "/v1/frameworks/{code}/",
    }
    components = schema["components"]["schemas"]
    values = components["RuleValuesOutput"]["properties"]
    assert set(values) == set(SCHEMA)
    call = components["RuleCallMinWorkdaysOutput"]["properties"]
    assert call["value"]["type"] == "integer"
    assert call["article"]["type"] == "integer"
