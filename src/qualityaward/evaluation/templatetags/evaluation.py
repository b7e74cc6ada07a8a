from django import template

from qualityaward.applications.enums import Sector

register = template.Library()


@register.filter
def sector_label(value: str) -> str:
    """The translated name of a sector value ("energy" -> "能源")."""
    return str(Sector(value).label) if value in Sector.values else value
