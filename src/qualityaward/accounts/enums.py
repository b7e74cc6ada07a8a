from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do. A user may hold several roles."""

    OFFICE = "office", _("Office staff")
    WORKING_GROUP = "working_group", _("Working-group member")
    AGENCY = "agency", _("Agency coordinator")
    EXPERT = "expert", _("Expert")
    APPLICANT = "applicant", _("Applicant")
    DEPARTMENT = "department", _("Department")
    SUPERVISOR = "supervisor", _("Supervisor")
