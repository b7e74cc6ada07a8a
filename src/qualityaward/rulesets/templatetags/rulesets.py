"""Show a rule with its source anywhere::

    {% load rulesets %}{% rule version.rules.call_min_workdays %}

renders “at least 10 working days (Article 14)”, in Chinese “…(第十四条)” with full-width
brackets."""

from django import template
from django.utils.html import format_html

from qualityaward.rulesets.schema import RuleValue, localized

register = template.Library()


@register.simple_tag
def rule(rule_value: RuleValue | None, source: bool = True) -> str:
    """The rule's value for display, followed by its article unless source=False."""
    if not isinstance(rule_value, RuleValue):
        return ""
    if not source:
        return format_html('<span class="qa-rule">{}</span>', rule_value.display())
    return format_html(
        '<span class="qa-rule">{}<span class="qa-rule-source">{}</span></span>',
        rule_value.display(),
        rule_value.cited,
    )


@register.filter
def rule_source(rule_value: RuleValue | None) -> str:
    """“第十四条” / “Article 14”."""
    return rule_value.source if isinstance(rule_value, RuleValue) else ""


@register.filter
def loc(obj, field: str) -> str:
    """The Chinese or English text of a pair held as data: ``{{ band|loc:"text" }}`` picks
    ``text_zh`` or ``text_en`` by the current language."""
    if isinstance(obj, dict):
        zh, en = obj.get(f"{field}_zh"), obj.get(f"{field}_en")
    else:
        zh, en = getattr(obj, f"{field}_zh", ""), getattr(obj, f"{field}_en", "")
    return localized(str(zh or ""), str(en or ""))
