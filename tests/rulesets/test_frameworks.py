import copy
import json

import pytest
from django.utils import translation

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.rulesets.frameworks import FrameworkInvalid, framework_data_check
from qualityaward.rulesets.models import FrameworkCategory, FrameworkItem, ScoringFramework
from qualityaward.rulesets.presets import PRESET_DIR
from qualityaward.rulesets.services import framework_load


def gbt():
    return json.loads((PRESET_DIR / "gbt19580-2012.json").read_text(encoding="utf-8"))


def test_preset_framework_sums_to_1000_and_each_category_to_its_items():
    data = framework_data_check(gbt())
    assert data["total_points"] == 1000
    assert sum(category["points"] for category in data["categories"]) == 1000
    for category in data["categories"]:
        assert sum(item["points"] for item in category["items"]) == category["points"]
    assert len(data["categories"]) == 7
    assert sum(len(category["items"]) for category in data["categories"]) == 23


def test_preset_framework_points_as_in_the_spec():
    points = {
        item["code"]: item["points"]
        for category in gbt()["categories"]
        for item in [category, *category["items"]]
    }
    assert points["4.1"] == 110
    assert points["4.4"] == 130
    assert points["4.4.2"] == 60
    assert points["4.4.6"] == 10
    assert points["4.7"] == 400
    assert points["4.7.5"] == 60
    assert [c["kind"] for c in gbt()["categories"]] == ["process"] * 6 + ["results"]


@pytest.mark.django_db
def test_loaded_framework_sums_to_1000_in_the_database():
    framework, created = framework_load(data=gbt(), actor="test")
    assert created
    assert framework.total_points == 1000
    categories = FrameworkCategory.objects.filter(framework=framework)
    assert sum(c.points for c in categories) == 1000
    for category in categories:
        assert sum(i.points for i in category.items.all()) == category.points
    assert FrameworkItem.objects.filter(category__framework=framework).count() == 23
    assert "通行引用" in framework.note  # the caveat on the points, in Chinese
    assert [band["min"] for band in framework.bands["process"]["bands"]] == [0, 10, 30, 50, 70, 90]
    assert [d["code"] for d in framework.bands["results"]["dimensions"]] == [
        "levels",
        "trends",
        "comparisons",
        "integration",
    ]


@pytest.mark.django_db
def test_framework_whose_items_do_not_add_up_is_refused_naming_the_category():
    data = gbt()
    data["categories"][3]["items"][0]["points"] = 55  # 4.4.2 human resources: 60 → 55
    with pytest.raises(FrameworkInvalid) as error:
        framework_load(data=data, actor="test")
    assert "4.4" in error.value.message
    assert "资源" in error.value.message
    assert "125" in error.value.message and "130" in error.value.message
    assert not ScoringFramework.objects.exists()
    assert not AuditRecord.objects.exists()


@pytest.mark.django_db
def test_framework_whose_total_is_not_the_declared_total_is_refused():
    data = gbt()
    data["categories"][6]["points"] = 390
    data["categories"][6]["items"][0]["points"] = 70
    with pytest.raises(FrameworkInvalid) as error:
        framework_load(data=data, actor="test")
    assert error.value.message == (
        "Framework gbt19580-2012: the categories add up to 990 points, not the declared total "
        "of 1000."
    )
    assert not ScoringFramework.objects.exists()


def test_framework_with_a_gap_in_the_bands_is_refused():
    data = gbt()
    data["bands"]["results"]["bands"][2]["min"] = 35
    with pytest.raises(FrameworkInvalid, match=r"results.*without gaps.*35"):
        framework_data_check(data)


def test_framework_with_an_item_under_the_wrong_category_is_refused():
    data = gbt()
    data["categories"][0]["items"][0]["code"] = "4.2.9"
    with pytest.raises(FrameworkInvalid, match=r"does not belong under category 4\.1"):
        framework_data_check(data)


@pytest.mark.django_db
def test_framework_loaded_twice_is_unchanged_and_different_data_is_refused():
    first, _ = framework_load(data=gbt(), actor="test")
    again, created = framework_load(data=gbt(), actor="test")
    assert (again.pk, created) == (first.pk, False)
    changed = copy.deepcopy(gbt())
    changed["bands"]["process"]["bands"][0]["text_en"] = "Nothing at all."
    with pytest.raises(QualityAwardError, match="already recorded with different data"):
        framework_load(data=changed, actor="test")
    assert ScoringFramework.objects.count() == 1


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the English messages; tests/test_translations.py checks the Chinese."""
    with translation.override("en"):
        yield
