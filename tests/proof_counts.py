"""Counts of the proof suite (authz matrix, API fuzzing, bad inputs), printed under one
heading at the end of the run by the pytest_terminal_summary hook of tests/conftest.py."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()

# Count key -> label, in the order printed.
LABELS = {
    "authz_urls": "authorization matrix: URL patterns",
    "authz_checks": "authorization matrix: URLs x roles checked",
    "fuzz_cases": "API fuzzing: cases run",
    "bad_inputs": "bad inputs tried",
    "axe_pages": "accessibility (axe): pages x languages checked",
}


def add(key: str, n: int = 1) -> None:
    COUNTS[key] += n


def summary(terminalreporter) -> None:
    """Write the counts recorded in this run, if any."""
    lines = [f"{label}: {COUNTS[key]}" for key, label in LABELS.items() if COUNTS[key]]
    if lines:
        terminalreporter.write_sep("-", "proof suite")
        for line in lines:
            terminalreporter.write_line(line)
