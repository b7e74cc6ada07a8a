"""Today's date in Beijing time, in one place so tests can set it."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
