"""{% load applicants %}: `{{ individual|id_number_for:user }}` shows the resident
identity number in full to office staff and masked (152501********1234) to everyone
else."""

from django import template

from ..validators import mask_id_number

register = template.Library()


@register.filter
def id_number_for(individual, user) -> str:
    if individual is None:
        return ""
    if user is not None and user.has_perm("applications.view_full_id_number"):
        return individual.id_number
    return mask_id_number(individual.id_number)
