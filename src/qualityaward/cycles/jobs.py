"""Daily checks of the cycles (run by notifications.services.run_daily_jobs)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import holders
from qualityaward.notifications.services import notify

from .enums import CycleStatus
from .models import Cycle
from .selectors import cycle_timeline


def remind_overdue_stages(*, day: date) -> int:
    """Tell office staff about every stage past its time limit. Returns reminders sent."""
    sent = 0
    for cycle in Cycle.objects.filter(status=CycleStatus.OPEN).prefetch_related("stages"):
        office = list(holders(Role.OFFICE, cycle))
        for row in cycle_timeline(cycle=cycle, today=day):
            if not row.is_overdue or row.latest_end is None:
                continue
            sent += len(
                notify(
                    recipients=office,
                    kind="stage_overdue",
                    subject=_("%(cycle)s: %(stage)s is past its time limit")
                    % {"cycle": cycle.name, "stage": row.label},
                    body=_("It had to be completed by %(date)s.")
                    % {"date": row.latest_end.isoformat()},
                    url=reverse("cycles:detail", args=[cycle.pk]),
                    dedupe_key=f"overdue:{cycle.pk}:{row.code}:{day.isoformat()}",
                )
            )
    return sent
