"""Counts of the proof suite (authz matrix, API fuzzing, bad inputs), printed at the end
of the run by the pytest_terminal_summary hooks of tests/authz, tests/api, tests/security."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()


def add(key: str, n: int = 1) -> None:
    COUNTS[key] += n


def summary(terminalreporter, keys: dict[str, str]) -> None:
    """Write the counts named in `keys` (count key -> label) if any were recorded."""
    lines = [f"{label}: {COUNTS[key]}" for key, label in keys.items() if COUNTS[key]]
    if lines:
        terminalreporter.write_sep("-", "proof suite")
        for line in lines:
            terminalreporter.write_line(line)
