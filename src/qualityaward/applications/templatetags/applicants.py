"""{% load applicants %}: `{{ individual|masked_id_number }}` shows a resident identity
number masked (152501********1234). The full number is shown only on request, to the
office, and each such read is recorded (services.applicants.id_number_reveal)."""

from django import template

from ..validators import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_id_number(individual) -> str:
    if individual is None:
        return ""
    return mask_id_number(individual.id_number)


@register.filter
def masked_phone(phone: str) -> str:
    return mask_phone(phone or "")
