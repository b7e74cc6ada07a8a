"""Which backups in a folder to keep: the newest of each of the last N days, ISO weeks
and months. Only names `qualityaward-YYYYmmdd-HHMMSS.zip` are considered."""

import datetime
import re
from collections.abc import Callable

NAME = re.compile(r"^qualityaward-(\d{8}-\d{6})\.zip$")
STAMP = "%Y%m%d-%H%M%S"


def backup_name(now: datetime.datetime) -> str:
    return f"qualityaward-{now:{STAMP}}.zip"


def backups_to_prune(names: list[str], *, daily: int, weekly: int, monthly: int) -> list[str]:
    """The names outside the retention, oldest first."""
    matches = [(match[1], name) for name in names if (match := NAME.match(name))]
    dated = sorted(
        ((datetime.datetime.strptime(stamp, STAMP), name) for stamp, name in matches),
        reverse=True,
    )
    periods: list[tuple[int, Callable[[datetime.datetime], tuple[int, ...]]]] = [
        (daily, lambda t: (t.year, t.month, t.day)),
        (weekly, lambda t: tuple(t.isocalendar()[:2])),
        (monthly, lambda t: (t.year, t.month)),
    ]
    keep: set[str] = set()
    for count, period in periods:
        seen: set[tuple[int, ...]] = set()
        for stamp, name in dated:
            key = period(stamp)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(name)
    return [name for _, name in reversed(dated) if name not in keep]
