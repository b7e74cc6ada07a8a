from django import template
from django.utils.translation import pgettext

from qualityaward.applications.enums import Sector

register = template.Library()


@register.filter
def sector_label(value: str) -> str:
    """The translated name of a sector value ("energy" -> "能源")."""
    return str(Sector(value).label) if value in Sector.values else value


@register.filter
def percents_list(pairs) -> str:
    """(name, percentage) pairs as one list in the page's language: "A 60%, B 80%",
    "甲 60%、乙 80%"."""
    return pgettext("list separator", ", ").join(f"{name} {percent}%" for name, percent in pairs)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ({{ totals|get_item:stage.code }}); None if absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def band_for(bands: list, percent) -> dict | None:
    """The band (of a framework's bands list) that holds the percentage."""
    if percent in (None, ""):
        return None
    for band in bands or []:
        if band.get("min", 0) <= int(percent) <= band.get("max", 100):
            return band
    return None
