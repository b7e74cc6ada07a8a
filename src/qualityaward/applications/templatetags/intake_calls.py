"""{% load intake_calls %}{% open_calls %}: the open calls for applications with their deadline
and templates (the portal's home page shows them)."""

from django import template

from ..selectors.calls import open_calls as select_open_calls

register = template.Library()


@register.inclusion_tag("applications/calls/_open_calls.html")
def open_calls() -> dict:
    return {"open_calls": select_open_calls()}


@register.filter
def state_label(state: str) -> str:
    """The label of an application state, translating that label only (the model's
    `get_state_display` translates every state on each call): for lists."""
    from ..enums import ApplicationState

    return str(ApplicationState(state).label) if state in ApplicationState.values else state


@register.filter
def state_badge(state: str) -> str:
    """The badge class of an application state: ``{{ application.state|state_badge }}``."""
    from ..enums import STATE_BADGES

    return STATE_BADGES.get(state, "text-bg-secondary")
