"""{% load intake_calls %}{% open_calls %}: the open calls for applications with their deadline
and templates (the portal's home page shows them)."""

from django import template

from ..selectors.calls import open_calls as select_open_calls

register = template.Library()


@register.inclusion_tag("applications/calls/_open_calls.html")
def open_calls() -> dict:
    return {"open_calls": select_open_calls()}
