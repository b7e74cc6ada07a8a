from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What the State Council's arrangement makes of one day."""

    HOLIDAY = "holiday", _("Holiday")
    # A Saturday or Sunday swapped into a working day (调休上班).
    WORKDAY = "workday", _("Swapped working day")
