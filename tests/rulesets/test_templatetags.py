import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def render(text, **context):
    return Template("{% load rulesets %}" + text).render(Context(context))


def test_rule_tag_shows_value_and_source(preset):
    with translation.override("zh-hans"):
        html = render("{% rule version.rules.publicity_workdays %}", version=preset)
    assert html == (
        '<span class="qa-rule">7 个工作日<span class="qa-rule-source">'
        "\uff08第二十二条\uff09</span></span>"
    )
    with translation.override("en"):
        assert render("{% rule version.rules.fraud_ban_years %}", version=preset) == (
            '<span class="qa-rule">5 years<span class="qa-rule-source"> (Article 28)</span></span>'
        )


def test_rule_tag_without_source_and_the_source_filter(preset):
    with translation.override("en"):
        assert render("{% rule v.rules.org_min_operating_years source=False %}", v=preset) == (
            '<span class="qa-rule">at least 3 years</span>'
        )
        assert render("{{ v.rules.org_min_operating_years|rule_source }}", v=preset) == (
            "Article 10(1)"
        )


def test_rule_tag_renders_nothing_for_an_unknown_rule(preset):
    assert render("[{% rule v.rules.no_such_rule %}]", v=preset) == "[]"
